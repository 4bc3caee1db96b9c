#include "credo/demos/npz_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zip.h>

#include <cstring>
#include <memory>
#include <regex>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/demos/declared_size.h"

namespace credo::demos {

namespace {

// The .npy format (numpy.lib.format): magic "\x93NUMPY", version, header length, then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (N, M), } padded with spaces and a newline.
constexpr char kMagic[] = "\x93NUMPY";

struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
  std::size_t data_offset = 0;
};

NpyHeader parse_header(const std::string& bytes, const std::string& where) {
  const std::string bad = fmt::format("{} is not a valid .npy array (truncated or corrupt?)", where);
  if (bytes.size() < 10 || bytes.compare(0, 6, kMagic) != 0) throw UsageError(bad);
  const auto major = static_cast<unsigned char>(bytes[6]);
  std::size_t length = 0, offset = 0;
  if (major == 1) {
    length = static_cast<unsigned char>(bytes[8]) |
             (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else {
    if (bytes.size() < 12) throw UsageError(bad);
    for (int i = 3; i >= 0; --i)
      length = (length << 8) | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(i)]);
    offset = 12;
  }
  if (bytes.size() < offset + length) throw UsageError(bad);
  const std::string dict = bytes.substr(offset, length);
  NpyHeader h;
  h.data_offset = offset + length;
  std::smatch m;
  if (!std::regex_search(dict, m, std::regex(R"('descr'\s*:\s*'([^']*)')"))) throw UsageError(bad);
  h.descr = m[1];
  if (std::regex_search(dict, m, std::regex(R"('fortran_order'\s*:\s*(True|False))")))
    h.fortran_order = m[1] == "True";
  if (!std::regex_search(dict, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) throw UsageError(bad);
  const std::string dims = m[1];
  static const std::regex number(R"(\d+)");
  try {
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
      h.shape.push_back(std::stoll(it->str()));
    }
  } catch (const std::out_of_range&) {
    throw UsageError(fmt::format("{} declares a dimension too large for any file (corrupt?)", where));
  }
  return h;
}

template <typename T>
void convert(const char* data, std::size_t count, std::vector<double>& out) {
  out.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, data + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
}

// Reads one .npy into `array`, or into the attributes when it has shape (). Little-endian data only.
void parse_npy(const std::string& bytes, const std::string& name, const std::string& where, ArraySet& set) {
  const auto h = parse_header(bytes, where);
  // The entry's bytes are in memory already (their size was checked against the archive), so a shape that
  // claims more than they hold is refused before anything is converted.
  const std::size_t count = declared_count(h.shape, 1, where);
  const char* data = bytes.data() + h.data_offset;
  const std::size_t available = bytes.size() - h.data_offset;
  const auto need = [&](std::size_t element) {
    if (available / element < count) {
      throw UsageError(fmt::format("{} holds fewer values than its shape says (truncated?)", where));
    }
  };
  if (h.shape.empty() && !h.descr.empty() && (h.descr[1] == 'U')) {  // a string attribute, UTF-32
    std::size_t chars = 0;
    try {
      chars = std::stoul(h.descr.substr(2));
    } catch (const std::exception&) {
      throw UsageError(fmt::format("{} has a malformed string type '{}' (corrupt?)", where, h.descr));
    }
    if (available / 4 < chars) {
      throw UsageError(fmt::format("{} holds fewer characters than its type says (truncated?)", where));
    }
    std::string text;
    for (std::size_t i = 0; i < chars; ++i) {
      std::uint32_t c;
      std::memcpy(&c, data + 4 * i, 4);
      if (c == 0) break;
      text += c < 128 ? static_cast<char>(c) : '?';
    }
    set.attributes[name] = text;
    return;
  }
  Array a;
  a.shape = h.shape;
  const std::string& d = h.descr;
  const char order = d.empty() ? '?' : d[0];
  const std::string code = d.size() > 1 ? d.substr(1) : d;
  if (order == '>' && code != "b1" && code != "u1" && code != "i1") {
    a.type = d + " (big-endian)";
  } else if (code == "f4") {
    need(4), convert<float>(data, count, a.values), a.kind = ArrayKind::floating, a.type = "float32";
  } else if (code == "f8") {
    need(8), convert<double>(data, count, a.values), a.kind = ArrayKind::floating, a.type = "float64";
  } else if (code == "b1") {
    need(1), convert<std::uint8_t>(data, count, a.values), a.kind = ArrayKind::boolean, a.type = "bool";
  } else if (code == "i1" || code == "u1") {
    need(1), code == "i1" ? convert<std::int8_t>(data, count, a.values)
                          : convert<std::uint8_t>(data, count, a.values);
    a.kind = ArrayKind::integer, a.type = code == "i1" ? "int8" : "uint8";
  } else if (code == "i4" || code == "u4") {
    need(4), code == "i4" ? convert<std::int32_t>(data, count, a.values)
                          : convert<std::uint32_t>(data, count, a.values);
    a.kind = ArrayKind::integer, a.type = code == "i4" ? "int32" : "uint32";
  } else if (code == "i8" || code == "u8") {
    need(8), code == "i8" ? convert<std::int64_t>(data, count, a.values)
                          : convert<std::uint64_t>(data, count, a.values);
    a.kind = ArrayKind::integer, a.type = code == "i8" ? "int64" : "uint64";
  } else {
    a.type = d;  // strings, objects, complex: not demonstration data
  }
  if (h.fortran_order && a.shape.size() == 2 && !a.values.empty()) {
    const auto rows = static_cast<std::size_t>(a.shape[0]), cols = static_cast<std::size_t>(a.shape[1]);
    std::vector<double> c(a.values.size());
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) c[i * cols + j] = a.values[j * rows + i];
    a.values = std::move(c);
  }
  if (a.shape.empty()) {  // a numeric attribute
    if (a.kind == ArrayKind::integer || a.kind == ArrayKind::boolean)
      set.attributes[name] = static_cast<std::int64_t>(a.values.at(0));
    if (a.kind == ArrayKind::floating) set.attributes[name] = a.values.at(0);
    return;
  }
  set.arrays[name] = std::move(a);
}

std::string npy_bytes(const std::string& descr, const std::vector<std::int64_t>& shape, const void* data,
                      std::size_t data_size) {
  std::string dims;
  for (auto d : shape) dims += std::to_string(d) + ", ";
  if (shape.size() > 1) dims.erase(dims.size() - 1);  // (N, M) but (N,)
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", descr, dims);
  // Version 1.0: the header (magic, version, length, dict, padding, newline) is a multiple of 64 bytes.
  const std::size_t total = (10 + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - 10 - dict.size() - 1, ' ');
  dict += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>((dict.size() >> 8) & 0xff);
  out += dict;
  out.append(static_cast<const char*>(data), data_size);
  return out;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

}  // namespace

ArraySet read_npz(const std::filesystem::path& path) {
  const std::string source = path.string();
  int error = 0;
  std::unique_ptr<zip_t, ZipCloser> archive(zip_open(source.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!archive) {
    throw UsageError(fmt::format("'{}' cannot be opened as .npz (truncated or corrupt zip?)", source));
  }
  ArraySet set;
  const auto entries = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    std::string name = st.name;
    if (name.size() < 4 || name.substr(name.size() - 4) != ".npy") continue;
    name.resize(name.size() - 4);
    const std::string where = fmt::format("'{}' entry '{}'", source, name);
    zip_file_t* file = zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr) throw UsageError(fmt::format("{} cannot be read (corrupt file?)", where));
    // Sizes in the zip's directory are checked before the entry is inflated into memory.
    declared_count({static_cast<std::int64_t>(std::min<zip_uint64_t>(st.size, INT64_MAX))}, 1, where);
    check_stored(st.size, st.comp_size, st.comp_method != ZIP_CM_STORE, where);
    std::string bytes(st.size, '\0');
    const auto got = zip_fread(file, bytes.data(), st.size);
    zip_fclose(file);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
      throw UsageError(fmt::format("{} cannot be read (truncated or corrupt file?)", where));
    }
    parse_npy(bytes, name, where, set);
  }
  return set;
}

void write_npz(const std::filesystem::path& path, const std::vector<ArrayView>& arrays,
               const nlohmann::ordered_json& attributes) {
  // Every entry's bytes stay alive until zip_close writes the archive.
  std::vector<std::string> entries;
  std::vector<std::string> names;
  for (const auto& a : arrays) {
    std::size_t count = 1;
    for (auto d : a.shape) count *= static_cast<std::size_t>(d);
    const char* descr = a.type == ElementType::f32 ? "<f4" : a.type == ElementType::boolean ? "|b1" : "<i8";
    const std::size_t element = a.type == ElementType::f32 ? 4 : a.type == ElementType::boolean ? 1 : 8;
    entries.push_back(npy_bytes(descr, a.shape, a.data, count * element));
    names.push_back(a.name + ".npy");
  }
  for (const auto& [name, value] : attributes.items()) {
    if (value.is_string()) {
      const auto text = value.get<std::string>();
      std::vector<std::uint32_t> utf32(text.begin(), text.end());
      entries.push_back(npy_bytes(fmt::format("<U{}", std::max<std::size_t>(1, utf32.size())), {},
                                  utf32.data(), 4 * utf32.size()));
      if (utf32.empty()) entries.back().append(4, '\0');
    } else if (value.is_number_integer()) {
      const auto v = value.get<std::int64_t>();
      entries.push_back(npy_bytes("<i8", {}, &v, 8));
    } else if (value.is_number()) {
      const auto v = value.get<double>();
      entries.push_back(npy_bytes("<f8", {}, &v, 8));
    } else {
      continue;
    }
    names.push_back(name + ".npy");
  }
  write_atomically_with(path, [&](const std::filesystem::path& temporary) {
    int error = 0;
    zip_t* archive = zip_open(temporary.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (archive == nullptr)
      throw UsageError(fmt::format("cannot create '{}' (is the folder writable?)", path.string()));
    for (std::size_t i = 0; i < entries.size(); ++i) {
      zip_source_t* src = zip_source_buffer(archive, entries[i].data(), entries[i].size(), 0);
      const auto index = src ? zip_file_add(archive, names[i].c_str(), src, ZIP_FL_OVERWRITE) : -1;
      if (index < 0) {
        if (src) zip_source_free(src);
        zip_discard(archive);
        throw UsageError(fmt::format("cannot write '{}': {}", path.string(), names[i]));
      }
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) != 0) {
      const std::string reason = zip_strerror(archive);
      zip_discard(archive);
      throw UsageError(fmt::format("cannot write '{}': {}", path.string(), reason));
    }
  });
}

}  // namespace credo::demos
