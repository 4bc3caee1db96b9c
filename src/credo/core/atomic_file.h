#pragma once
// Writing files so that a reader never sees a half-written one.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>

namespace credo {

// Writes `content` to `path` through a temporary file in the same folder and a rename, so `path` either keeps
// its old content or has the new content complete. Throws UsageError naming the path if the folder is not
// writable.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The same for content made in pieces: `produce` calls `put(data, size)` for each piece, which goes straight
// to the temporary file, so the whole content is never held in memory (a checkpoint's replay buffer). `put`
// returns false once a write has failed (a full disk); the error then names that failure.
using PieceWriter = std::function<bool(const void* data, std::size_t size)>;
void write_file_atomically_from(const std::filesystem::path& path,
                                const std::function<void(const PieceWriter& put)>& produce);

// The same for writers that create the file themselves by name (HDF5, zip): `write` writes a temporary path
// in the same folder, which is renamed to `path` once `write` returns; if `write` throws, the temporary file
// is removed and `path` is untouched.
void write_atomically_with(const std::filesystem::path& path,
                           const std::function<void(const std::filesystem::path& temporary)>& write);

}  // namespace credo
