#include "credo/demos/hdf5_file.h"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>

#include "credo/core/atomic_file.h"
#include "credo/core/error.h"
#include "credo/demos/declared_size.h"

namespace credo::demos {

namespace {

// Closes an HDF5 handle when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// HDF5 prints its error stack to stderr by default; credo reports its own one-line errors instead.
void silence_hdf5() {
  static const bool silenced = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)silenced;
}

std::string type_name(hid_t type) {
  const auto size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      return fmt::format("float{}", 8 * size);
    case H5T_INTEGER:
      return fmt::format("{}int{}", H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", 8 * size);
    case H5T_ENUM:
      return "enum";
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    default:
      return "unsupported";
  }
}

// h5py stores numpy bool as an 8-bit enum {FALSE = 0, TRUE = 1}.
bool is_bool_enum(hid_t type) {
  if (H5Tget_class(type) != H5T_ENUM || H5Tget_size(type) != 1 || H5Tget_nmembers(type) != 2) return false;
  char name[16] = {};
  signed char value = 1;
  return H5Tenum_nameof(type, &value, name, sizeof name) >= 0 && std::strcmp(name, "TRUE") == 0;
}

hid_t bool_enum_type() {
  const hid_t t = H5Tenum_create(H5T_NATIVE_INT8);
  signed char v = 0;
  H5Tenum_insert(t, "FALSE", &v);
  v = 1;
  H5Tenum_insert(t, "TRUE", &v);
  return t;
}

void check(herr_t status, const std::string& what) {
  if (status < 0) throw UsageError(what);
}

}  // namespace

Hdf5Reader::Hdf5Reader(const std::filesystem::path& path) : source_(path.string()) {
  silence_hdf5();
  std::error_code ec;
  file_bytes_ = std::filesystem::file_size(path, ec);
  if (ec) file_bytes_ = 0;
  file_ = H5Fopen(source_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) {
    throw UsageError(fmt::format("'{}' cannot be opened as HDF5 (truncated or corrupt file?)", source_));
  }
}

Hdf5Reader::~Hdf5Reader() {
  if (file_ >= 0) H5Fclose(file_);
}

std::vector<std::string> Hdf5Reader::members(const std::string& group) const {
  std::vector<std::string> names;
  const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  };
  check(H5Literate_by_name(file_, group.c_str(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names,
                           H5P_DEFAULT),
        fmt::format("'{}': cannot list group '{}' (truncated or corrupt file?)", source_, group));
  return names;
}

bool Hdf5Reader::is_dataset(const std::string& object) const {
  H5O_info_t info;
  return H5Lexists(file_, object.c_str(), H5P_DEFAULT) > 0 &&
         H5Oget_info_by_name2(file_, object.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
         info.type == H5O_TYPE_DATASET;
}

bool Hdf5Reader::is_group(const std::string& object) const {
  H5O_info_t info;
  return H5Lexists(file_, object.c_str(), H5P_DEFAULT) > 0 &&
         H5Oget_info_by_name2(file_, object.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
         info.type == H5O_TYPE_GROUP;
}

Array Hdf5Reader::read(const std::string& dataset) const {
  const std::string failed =
      fmt::format("'{}': dataset '{}' cannot be read (truncated or corrupt file?)", source_, dataset);
  Handle ds(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds.ok()) throw UsageError(failed);
  Handle type(H5Dget_type(ds.get()), H5Tclose);
  Handle space(H5Dget_space(ds.get()), H5Sclose);
  if (!type.ok() || !space.ok()) throw UsageError(failed);
  Array a;
  a.type = type_name(type.get());
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) throw UsageError(failed);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  for (auto d : dims)
    a.shape.push_back(d > static_cast<hsize_t>(INT64_MAX) ? -1 : static_cast<std::int64_t>(d));
  const std::string where = fmt::format("'{}': dataset '{}'", source_, dataset);
  const auto count = declared_count(a.shape, sizeof(double), where);
  // Data HDF5 never wrote, or that would lie past the end of the file, is refused before it is read.
  Handle plist(H5Dget_create_plist(ds.get()), H5Pclose);
  const bool compressed = plist.ok() && H5Pget_nfilters(plist.get()) > 0;
  check_stored(count * H5Tget_size(type.get()),
               std::min<std::uint64_t>(H5Dget_storage_size(ds.get()), file_bytes_), compressed, where);
  const auto cls = H5Tget_class(type.get());
  if (cls == H5T_FLOAT || cls == H5T_INTEGER) {
    a.kind = cls == H5T_FLOAT ? ArrayKind::floating : ArrayKind::integer;
    a.values.resize(count);
    if (count > 0)
      check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values.data()), failed);
  } else if (is_bool_enum(type.get())) {
    a.kind = ArrayKind::boolean;
    a.type = "bool";
    std::vector<signed char> raw(count);
    Handle mem(bool_enum_type(), H5Tclose);
    if (count > 0) check(H5Dread(ds.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), failed);
    a.values.assign(raw.begin(), raw.end());
  }
  return a;
}

nlohmann::json Hdf5Reader::attributes(const std::string& object) const {
  nlohmann::json out = nlohmann::json::object();
  Handle obj(H5Oopen(file_, object.c_str(), H5P_DEFAULT), H5Oclose);
  if (!obj.ok()) return out;
  struct Context {
    nlohmann::json* out;
  } context{&out};
  const auto visit = [](hid_t location, const char* name, const H5A_info_t*, void* data) -> herr_t {
    auto& result = *static_cast<Context*>(data)->out;
    Handle attr(H5Aopen(location, name, H5P_DEFAULT), H5Aclose);
    if (!attr.ok()) return 0;
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) return 0;
    const auto cls = H5Tget_class(type.get());
    if (cls == H5T_FLOAT) {
      double v = 0;
      if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v) >= 0) result[name] = v;
    } else if (cls == H5T_INTEGER) {
      long long v = 0;
      if (H5Aread(attr.get(), H5T_NATIVE_LLONG, &v) >= 0) result[name] = v;
    } else if (cls == H5T_STRING) {
      if (H5Tis_variable_str(type.get()) > 0) {
        char* text = nullptr;
        Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
        if (H5Aread(attr.get(), mem.get(), &text) >= 0 && text != nullptr) {
          result[name] = std::string(text);
          H5free_memory(text);
        }
      } else {
        std::string text(H5Tget_size(type.get()), '\0');
        if (H5Aread(attr.get(), type.get(), text.data()) >= 0) result[name] = std::string(text.c_str());
      }
    }
    return 0;
  };
  H5Aiterate2(obj.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, visit, &context);
  return out;
}

ArraySet read_hdf5(const std::filesystem::path& path) {
  Hdf5Reader reader(path);
  ArraySet set;
  for (const auto& name : reader.members("/")) {
    if (reader.is_dataset(name)) set.arrays[name] = reader.read(name);
  }
  set.attributes = reader.attributes("/");
  return set;
}

void write_hdf5(const std::filesystem::path& path, const std::vector<ArrayView>& arrays,
                const nlohmann::ordered_json& attributes) {
  silence_hdf5();
  write_atomically_with(path, [&](const std::filesystem::path& temporary) {
    const std::string failed = fmt::format("cannot write '{}' (is the disk full?)", path.string());
    Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    if (!file.ok())
      throw UsageError(fmt::format("cannot create '{}' (is the folder writable?)", path.string()));
    for (const auto& a : arrays) {
      std::vector<hsize_t> dims(a.shape.begin(), a.shape.end());
      Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
      hid_t file_type = H5T_IEEE_F32LE, mem_type = H5T_NATIVE_FLOAT;
      Handle bool_type(a.type == ElementType::boolean ? bool_enum_type() : -1, H5Tclose);
      if (a.type == ElementType::boolean) file_type = mem_type = bool_type.get();
      if (a.type == ElementType::i64) {
        file_type = H5T_STD_I64LE;
        mem_type = H5T_NATIVE_INT64;
      }
      Handle ds(H5Dcreate2(file.get(), a.name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                           H5P_DEFAULT),
                H5Dclose);
      if (!ds.ok()) throw UsageError(failed);
      std::size_t count = 1;
      for (auto d : dims) count *= d;
      if (count > 0) check(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.data), failed);
    }
    for (const auto& [name, value] : attributes.items()) {
      Handle space(H5Screate(H5S_SCALAR), H5Sclose);
      if (value.is_string()) {
        Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(type.get(), H5T_VARIABLE);
        H5Tset_cset(type.get(), H5T_CSET_UTF8);
        Handle attr(H5Acreate2(file.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                    H5Aclose);
        const std::string text = value.get<std::string>();
        const char* pointer = text.c_str();
        check(H5Awrite(attr.get(), type.get(), &pointer), failed);
      } else if (value.is_number_integer()) {
        Handle attr(
            H5Acreate2(file.get(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose);
        const auto v = value.get<std::int64_t>();
        check(H5Awrite(attr.get(), H5T_NATIVE_INT64, &v), failed);
      } else if (value.is_number()) {
        Handle attr(
            H5Acreate2(file.get(), name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose);
        const auto v = value.get<double>();
        check(H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &v), failed);
      }
    }
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), failed);
  });
}

}  // namespace credo::demos
