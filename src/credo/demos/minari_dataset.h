#pragma once
// Importing a Minari dataset (Farama's format for offline RL data) stored with its HDF5 backend: the dataset
// folder holds data/metadata.json (with the env spec) and data/main_data.hdf5 with one group per episode
// (observations has one row more than actions: the episode's last observation).
#include <string>

#include "credo/demos/named_arrays.h"

namespace credo::demos {

// True for "minari:ID" and for a folder that holds data/metadata.json.
bool is_minari_dataset(const std::string& reference);

// `reference` is a dataset folder or "minari:ID", found under $MINARI_DATASETS_PATH (default
// ~/.minari/datasets) as Minari itself does.
Demonstrations read_minari(const std::string& reference);

}  // namespace credo::demos
