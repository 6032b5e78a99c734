#pragma once
// The headers nearly every test file includes, compiled once per build as the precompiled header
// that every test program reuses (tests/CMakeLists.txt). Only third-party and standard headers: an
// engine header here would make every suite recompile when it changes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>
