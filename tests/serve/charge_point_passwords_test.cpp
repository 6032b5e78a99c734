// The charge points' password file (hashed, mode 0600, errors naming file and line) and the HTTP
// Basic credentials of an upgrade request.
#include "serve/csms/charge_point_passwords.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace evtwin::serve {
namespace {

using evtwin::test::error_of;

const std::string kPassword = "0123456789abcdef-secret";

TEST(ChargePointPasswords, SavedHashedWithMode0600AndVerified) {
    const auto file = evtwin::test::temp_dir("cp_passwords_save") / "passwords";
    ChargePointPasswords passwords;
    passwords.set("CP-1", kPassword);
    passwords.set("CP-2", "another password, 40 characters at most");
    passwords.save(file);

    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    const std::string text = evtwin::test::read_file(file);
    EXPECT_EQ(text.find(kPassword), std::string::npos);
    EXPECT_EQ(text.rfind("CP-1:pbkdf2-sha256:100000:", 0), 0u) << text;

    const auto loaded = ChargePointPasswords::load(file);
    EXPECT_EQ(loaded.size(), 2u);
    EXPECT_TRUE(loaded.verify("CP-1", kPassword));
    EXPECT_TRUE(loaded.verify("CP-2", "another password, 40 characters at most"));
    EXPECT_FALSE(loaded.verify("CP-1", kPassword + "x"));
    EXPECT_FALSE(loaded.verify("CP-1", "another password, 40 characters at most"));
    EXPECT_FALSE(loaded.verify("CP-3", kPassword));  // no such charge point
    EXPECT_FALSE(loaded.verify("cp-1", kPassword));
}

TEST(ChargePointPasswords, ReplacingAPasswordUsesANewSalt) {
    ChargePointPasswords passwords;
    passwords.set("CP-1", kPassword);
    passwords.set("CP-1", "the second password here");
    EXPECT_EQ(passwords.size(), 1u);
    EXPECT_FALSE(passwords.verify("CP-1", kPassword));
    EXPECT_TRUE(passwords.verify("CP-1", "the second password here"));

    const auto dir = evtwin::test::temp_dir("cp_passwords_salt");
    ChargePointPasswords a, b;
    a.set("CP-1", kPassword);
    b.set("CP-1", kPassword);
    a.save(dir / "a");
    b.save(dir / "b");
    EXPECT_NE(evtwin::test::read_file(dir / "a"), evtwin::test::read_file(dir / "b"));
}

TEST(ChargePointPasswords, RefusesBadIdsAndPasswords) {
    ChargePointPasswords passwords;
    EXPECT_THROW(passwords.set("CP-1", "short"), std::invalid_argument);
    EXPECT_THROW(passwords.set("CP-1", std::string(41, 'x')), std::invalid_argument);
    EXPECT_THROW(passwords.set("CP-1", std::string(15, 'x') + "\n"), std::invalid_argument);
    EXPECT_NO_THROW(passwords.set("CP-1", std::string(16, 'x')));
    EXPECT_NO_THROW(passwords.set("CP-1", std::string(40, 'x')));
    EXPECT_THROW(passwords.set("CP:1", kPassword), std::invalid_argument);
    EXPECT_THROW(passwords.set("CP 1", kPassword), std::invalid_argument);
    EXPECT_THROW(passwords.set("", kPassword), std::invalid_argument);
    EXPECT_THROW(passwords.set(std::string(49, 'C'), kPassword), std::invalid_argument);
    EXPECT_EQ(charge_point_password_problem("short"), "a charge point password has 16-40 characters, got 5");
}

TEST(ChargePointPasswords, AFileOthersCanReadIsRefused) {
    const auto file = evtwin::test::temp_dir("cp_passwords_mode") / "passwords";
    ChargePointPasswords passwords;
    passwords.set("CP-1", kPassword);
    passwords.save(file);
    ::chmod(file.c_str(), 0644);
    EXPECT_EQ(error_of<std::runtime_error>([&] { ChargePointPasswords::load(file); }),
              file.string() + ": the passwords file can be read by others than its owner (chmod 600 it)");
    EXPECT_EQ(error_of<std::runtime_error>([&] { ChargePointPasswords::load(file.string() + ".none"); }),
              file.string() + ".none: no such passwords file");
    EXPECT_EQ(ChargePointPasswords::load_or_empty(file.string() + ".none").size(), 0u);
}

TEST(ChargePointPasswords, AMalformedLineIsNamed) {
    const auto dir = evtwin::test::temp_dir("cp_passwords_lines");
    ChargePointPasswords passwords;
    passwords.set("CP-1", kPassword);
    passwords.save(dir / "good");
    const std::string good = evtwin::test::read_file(dir / "good");
    const std::string salt(32, 'a'), hash(64, 'b');
    const auto error_with = [&](const std::string& line) {
        const auto file = evtwin::test::write_file(dir / "bad", good + "\n" + line + "\n");
        ::chmod(file.c_str(), 0600);
        return error_of<std::runtime_error>([&] { ChargePointPasswords::load(file); });
    };
    const std::string at = (dir / "bad").string() + ":3: ";
    EXPECT_EQ(error_with("CP-2:" + kPassword), at + "expected ID:pbkdf2-sha256:ITERATIONS:SALT_HEX:HASH_HEX");
    EXPECT_EQ(error_with("CP-2:md5:100000:" + salt + ":" + hash),
              at + "unknown hash 'md5' (expected pbkdf2-sha256)");
    EXPECT_EQ(error_with("CP-2:pbkdf2-sha256:1000:" + salt + ":" + hash),
              at + "expected ITERATIONS from 100000 to 10000000, got '1000'");
    EXPECT_EQ(error_with("CP-2:pbkdf2-sha256:100000:xyz:" + hash),
              at + "expected SALT_HEX of at least 16 bytes in hex");
    EXPECT_EQ(error_with("CP-2:pbkdf2-sha256:100000:" + salt + ":" + hash.substr(2)),
              at + "expected HASH_HEX of 32 bytes in hex");
    EXPECT_EQ(error_with("CP-1:pbkdf2-sha256:100000:" + salt + ":" + hash),
              at + "charge point 'CP-1' is listed twice (first on line 1)");
    EXPECT_EQ(error_with("CP-2:pbkdf2-sha256:100000:" + salt + ":" + hash), "(no runtime_error)");
}

TEST(BasicAuthorization, ParsesUserAndPassword) {
    // printf 'CP-1:pass:word' | base64
    const auto credentials = parse_basic_authorization("Basic Q1AtMTpwYXNzOndvcmQ=");
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->user, "CP-1");
    EXPECT_EQ(credentials->password, "pass:word");                      // the first colon separates
    const auto lower = parse_basic_authorization("basic   Q1AtMTo= ");  // printf 'CP-1:' | base64
    ASSERT_TRUE(lower);
    EXPECT_EQ(lower->user, "CP-1");
    EXPECT_EQ(lower->password, "");
}

TEST(BasicAuthorization, RefusesWhatIsNotBasicBase64WithAColon) {
    EXPECT_FALSE(parse_basic_authorization(""));
    EXPECT_FALSE(parse_basic_authorization("Basic"));
    EXPECT_FALSE(parse_basic_authorization("Bearer Q1AtMTpwYXNzOndvcmQ="));
    EXPECT_FALSE(parse_basic_authorization("BasicQ1AtMTpwYXNzOndvcmQ="));
    EXPECT_FALSE(parse_basic_authorization("Basic Q1AtMTpwYXNzOndvcmQ"));   // unpadded
    EXPECT_FALSE(parse_basic_authorization("Basic Q1AtMTpw!XNzOndvcmQ="));  // not base64
    EXPECT_FALSE(parse_basic_authorization("Basic Q1AtMTpwYXNz=29yZA=="));  // '=' inside
    EXPECT_FALSE(parse_basic_authorization("Basic Q1AtMQ=="));              // "CP-1": no colon
}

}  // namespace
}  // namespace evtwin::serve
