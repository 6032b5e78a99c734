#pragma once
// An error a client caused, answered with an HTTP status and a JSON body
// {"error": {"status", "path", "message"}}; `path` is the JSON pointer of the offending field
// (empty when the problem is not one field's).
#include <stdexcept>
#include <string>

namespace evtwin::serve {

struct ApiError : std::runtime_error {
    ApiError(int status, std::string path, const std::string& message)
        : std::runtime_error(message), status(status), path(std::move(path)) {}
    int status;
    std::string path;
};

}  // namespace evtwin::serve
