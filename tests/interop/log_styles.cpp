#include "interop/log_styles.hpp"

#include "ocpp/frame.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <sstream>
#include <stdexcept>

namespace evtwin::test {
namespace {

struct Entry {
    std::int64_t ms = 0;
    std::string cs;
    bool from_cs = true;
    nlohmann::json frame;
};

std::vector<Entry> entries(const std::string& jsonl) {
    std::vector<Entry> out;
    std::istringstream lines(jsonl);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        const nlohmann::json j = nlohmann::json::parse(line);
        Entry e;
        if (!ocpp::parse_timestamp(j.at("ts").get<std::string>(), e.ms))
            throw std::runtime_error("bad ts in " + line);
        e.cs = j.at("cs");
        e.from_cs = j.at("dir") == "cs2csms";
        e.frame = j.at("frame");
        out.push_back(std::move(e));
    }
    return out;
}

// "2026-11-24", "Nov 24" (syslog's, the day space-padded), "09:12:00" and the milliseconds of a
// time, UTC.
struct Parts {
    std::string date, syslog_date, clock;
    int ms;
};

Parts parts(std::int64_t ms) {
    const std::time_t s = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&s, &tm);
    char date[16], syslog_date[16], clock[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    std::strftime(syslog_date, sizeof syslog_date, "%b %e", &tm);
    std::strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    return {date, syslog_date, clock, static_cast<int>(ms % 1000)};
}

std::string ms3(int ms) {
    char text[8];
    std::snprintf(text, sizeof text, "%03d", ms);
    return text;
}

}  // namespace

const std::vector<LogStyle>& log_styles() {
    static const std::vector<LogStyle> styles = {
        {"python_ocpp", "2026-11-24 09:12:00,013 - ocpp - INFO - CP1: receive message [2,...]"},
        {"ocpp_core",
         "2026-11-24 09:12:00.0131|TRACE|OCPP.Core.Server.OCPPMiddleware|ChargePoint(CP1) => In: [2,...]"},
        {"journald", "2026-11-24T09:12:00.013000+0000 host evtwin[812]: chargeBoxId=CP1 << [2,...]"},
        {"proxy", "[2026-11-24T09:12:00.013Z] CP1 -> CSMS [2,...]"},
        {"pretty",
         "2026-11-24 09:12:00.013 [INFO] ocpp.ws station=CP1 rx, then the frame indented over lines"},
        {"silent", "2026/11/24 09:12:00.013 chargeBoxId=CP1 [2,...] (no direction word)"},
        {"syslog", "Nov 24 09:12:00.013000 host evtwin[812]: CP1: send [2,...] (journalctl: no year)"},
        {"unix_ms", "1795511520013 [ocpp] chargePointId=CP1 out [2,...]"},
        {"pino",
         "{\"level\":30,\"time\":1795511520013,\"identity\":\"CP1\",\"msg\":\"send\",\"message\":\"[2,...]"
         "\"}"},
        {"docker",
         "{\"log\":\"2026-11-24 09:12:00,013 - ocpp - INFO - CP1: send [2,...]\\n\",...} (json-file)"},
    };
    return styles;
}

std::string render_log(const std::string& style, const std::string& jsonl, bool writer_is_csms) {
    std::string out;
    for (const Entry& e : entries(jsonl)) {
        const Parts p = parts(e.ms);
        const bool writer_sent = e.from_cs != writer_is_csms;
        const std::string frame = e.frame.dump();
        const std::string python_line = p.date + " " + p.clock + "," + ms3(p.ms) + " - ocpp - INFO - " +
                                        e.cs + ": " + (writer_sent ? "send " : "receive message ") + frame +
                                        "\n";
        if (style == "python_ocpp") {
            out += python_line;
        } else if (style == "ocpp_core") {
            out += p.date + " " + p.clock + "." + ms3(p.ms) +
                   "1|TRACE|OCPP.Core.Server.OCPPMiddleware|ChargePoint(" + e.cs + ") => " +
                   (writer_sent ? "Out: " : "In: ") + frame + "\n";
        } else if (style == "journald") {
            out += p.date + "T" + p.clock + "." + ms3(p.ms) +
                   "000+0000 host evtwin[812]: chargeBoxId=" + e.cs + (writer_sent ? " >> " : " << ") +
                   frame + "\n";
        } else if (style == "proxy") {
            const std::string from = e.from_cs ? e.cs : "CSMS", to = e.from_cs ? "CSMS" : e.cs;
            out += "[" + p.date + "T" + p.clock + "." + ms3(p.ms) + "Z] " + from + " -> " + to + " " + frame +
                   "\n";
        } else if (style == "pretty") {
            out += p.date + " " + p.clock + "." + ms3(p.ms) + " [INFO] ocpp.ws station=" + e.cs +
                   (writer_sent ? " tx\n" : " rx\n") + e.frame.dump(2) + "\n";
        } else if (style == "silent") {
            std::string date = p.date;
            date[4] = date[7] = '/';
            out += date + " " + p.clock + "." + ms3(p.ms) + " chargeBoxId=" + e.cs + " " + frame + "\n";
        } else if (style == "syslog") {
            out += p.syslog_date + " " + p.clock + "." + ms3(p.ms) + "000 host evtwin[812]: " + e.cs +
                   (writer_sent ? ": send " : ": receive message ") + frame + "\n";
        } else if (style == "unix_ms") {
            out += std::to_string(e.ms) + " [ocpp] chargePointId=" + e.cs + (writer_sent ? " out " : " in ") +
                   frame + "\n";
        } else if (style == "pino") {
            const nlohmann::json line = {{"level", 30},
                                         {"time", e.ms},
                                         {"pid", 812},
                                         {"identity", e.cs},
                                         {"msg", writer_sent ? "send" : "receive"},
                                         {"message", frame}};
            out += line.dump() + "\n";
        } else if (style == "docker") {  // the application's line in docker's json-file log
            const nlohmann::json line = {{"log", python_line},
                                         {"stream", "stderr"},
                                         {"time", p.date + "T" + p.clock + "." + ms3(p.ms) + "123Z"}};
            out += line.dump() + "\n";
        } else {
            throw std::invalid_argument("no log style '" + style + "'");
        }
    }
    return out;
}

}  // namespace evtwin::test
