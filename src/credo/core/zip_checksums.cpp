#include "credo/core/zip_checksums.h"

#include <fmt/format.h>
#include <zip.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace credo {

void verify_zip_checksums(const std::filesystem::path& path) {
  const auto corrupt = [](const std::string& why) { return std::runtime_error("corrupt: " + why); };
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (archive == nullptr) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    const std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw corrupt(why);
  }
  std::vector<char> buffer(1 << 16);
  const auto entries = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* raw_name = zip_get_name(archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    std::string printable = raw_name ? raw_name : "?";  // a damaged name may hold any bytes
    for (auto& c : printable) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
    }
    zip_file_t* entry = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    zip_int64_t n = entry ? 1 : -1;
    while (entry && (n = zip_fread(entry, buffer.data(), buffer.size())) > 0) {
    }
    if (n < 0) {
      const std::string why = entry ? zip_error_strerror(zip_file_get_error(entry)) : zip_strerror(archive);
      if (entry) zip_fclose(entry);
      zip_discard(archive);
      throw corrupt(fmt::format("entry {}: {}", printable, why));
    }
    zip_fclose(entry);
  }
  zip_discard(archive);
}

}  // namespace credo
