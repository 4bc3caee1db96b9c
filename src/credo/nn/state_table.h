#pragma once
// What a learner keeps in its checkpoint, by name: networks, optimisers, counters, tensors, generator state
// and parts that write their own archive (replay buffer, normalisers). Saving and loading walk the same
// table, so the two cannot drift apart and a new network is one line in one place. The names are the
// checkpoint's keys.
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "credo/core/rng.h"
#include "credo/nn/adam.h"

namespace credo::nn {

class StateTable {
 public:
  void module(const std::string& name, torch::nn::Module& module);
  void optimizer(const std::string& name, Adam& optimizer);
  void integer(const std::string& name, std::int64_t& value);
  void real(const std::string& name, double& value);
  // Restored in place (without recording a gradient), so a parameter keeps its identity and requires_grad.
  void tensor(const std::string& name, torch::Tensor& value);
  void rng(const std::string& name, Rng& rng);
  // A part with save(OutputArchive&) const and load(InputArchive&), stored as its own sub-archive.
  template <class Part>
  void part(const std::string& name, Part& part) {
    add_part(name, part, false);
  }
  // A part that checkpoints written before it existed lack: loading one of those leaves it as it is.
  template <class Part>
  void optional_part(const std::string& name, Part& part) {
    add_part(name, part, true);
  }

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive) const;
  // Moves the networks, optimiser states and tensors to `device`, each keeping its identity; parts (buffers,
  // normalisers) stay in host memory.
  void to(torch::Device device) const;
  // The networks by name, in the order they were added.
  const std::vector<std::pair<std::string, torch::nn::Module*>>& modules() const { return modules_; }
  // The tensors (such as SAC's log alpha) by name, in the order they were added.
  const std::vector<std::pair<std::string, torch::Tensor*>>& tensors() const { return tensors_; }
  // The counters (integers) by name, in the order they were added.
  const std::vector<std::pair<std::string, std::int64_t*>>& integers() const { return integers_; }
  // The optimisers by name, in the order they were added.
  const std::vector<std::pair<std::string, Adam*>>& optimizers() const { return optimizers_; }

 private:
  template <class Part>
  void add_part(const std::string& name, Part& part, bool optional) {
    entries_.push_back({[name, &part](torch::serialize::OutputArchive& archive) {
                          torch::serialize::OutputArchive sub;
                          part.save(sub);
                          archive.write(name, sub);
                        },
                        [name, &part, optional](torch::serialize::InputArchive& archive) {
                          torch::serialize::InputArchive sub;
                          if (optional) {
                            if (archive.try_read(name, sub)) part.load(sub);
                            return;
                          }
                          archive.read(name, sub);
                          part.load(sub);
                        }});
  }

  struct Entry {
    std::function<void(torch::serialize::OutputArchive&)> save;
    std::function<void(torch::serialize::InputArchive&)> load;
    std::function<void(torch::Device)> to = [](torch::Device) {};
  };
  std::vector<Entry> entries_;
  std::vector<std::pair<std::string, torch::nn::Module*>> modules_;
  std::vector<std::pair<std::string, Adam*>> optimizers_;
  std::vector<std::pair<std::string, std::int64_t*>> integers_;
  std::vector<std::pair<std::string, torch::Tensor*>> tensors_;
};

}  // namespace credo::nn
