#pragma once
// Messages quote what users' files hold (an HDF5 dataset's name, a zip entry's name, a .npy header): before
// such a message reaches a terminal it becomes one line of valid UTF-8, whatever bytes the file held.
#include <string>
#include <string_view>

namespace credo {

// `text` with each line break as \n, each other control character and each byte that does not begin valid
// UTF-8 as \xNN; printable ASCII and valid UTF-8 pass unchanged.
std::string printable_line(std::string_view text);

}  // namespace credo
