#pragma once
// Errors credo reports to its user.
#include <stdexcept>

namespace credo {

// A problem with what the user asked for (an unknown id, a malformed file, a bad option). The command line
// prints its message as one line and exits with status 2; the message says what was wrong, where, and how to
// fix it.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace credo
