#pragma once
// The common ground of the demonstration file formats: named arrays plus attributes. Each format (HDF5, npz,
// Minari) reads into an ArraySet and writes from ArrayViews; turning arrays into Demonstrations, with the
// checks of names, types and shapes, happens once, here.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "credo/demos/demonstrations.h"

namespace credo::demos {

enum class ArrayKind { floating, integer, boolean, other };

struct Array {
  ArrayKind kind = ArrayKind::other;
  std::string type;  // the element type as the file names it, for messages ("float32", "int64", "string")
  std::vector<std::int64_t> shape;
  std::vector<double> values;  // every element, converted (empty for kind other)
};

struct ArraySet {
  std::map<std::string, Array> arrays;
  nlohmann::json attributes = nlohmann::json::object();  // name -> string or number
};

// Builds demonstrations from the arrays of a file, checking names, element types and shapes, then validate().
// Without 'episode_starts' the boundaries come from the terminal and timeout flags. Throws UsageError naming
// `source`.
Demonstrations from_arrays(const ArraySet& set, const std::string& source);

enum class ElementType { f32, boolean, i64 };

// A read-only view of one array to write.
struct ArrayView {
  std::string name;
  ElementType type;
  std::vector<std::int64_t> shape;
  const void* data;
};

std::vector<ArrayView> array_views(const Demonstrations& d);
nlohmann::ordered_json attributes_of(const Demonstrations& d);

}  // namespace credo::demos
