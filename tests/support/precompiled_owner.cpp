// The program that owns the tests' precompiled header (support/precompiled.hpp): an executable, as
// the test programs are, so that its compile flags are theirs. It holds no test.
