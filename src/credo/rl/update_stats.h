#pragma once
// Statistics a learner reports at each update (gradient norms before clipping, losses, Q or value
// statistics), accumulated until the trainer writes a metrics row. A name ending in "_max" keeps the maximum,
// one ending in
// "_min" the minimum, every other name the mean over the updates of the interval.
#include <torch/torch.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace credo::rl {

class UpdateStats {
 public:
  explicit UpdateStats(std::vector<std::string> names = {});

  void add(const std::string& name, double value);  // name must be one of names()
  // q_mean, q_max and q_min of a batch of Q values (or values), and target_mean when a target is given.
  void add_q(const torch::Tensor& q, const torch::Tensor& target = {});
  // Called with every value added (the explosion monitor watches each update, not only the aggregates).
  void set_listener(std::function<void(const std::string&, double)> listener) {
    listener_ = std::move(listener);
  }
  const std::vector<std::string>& names() const { return names_; }
  // The aggregated value of each name since the last take() (NaN for a name with no value), then resets.
  std::vector<std::pair<std::string, double>> take();

 private:
  std::vector<std::string> names_;
  std::vector<double> values_;
  std::vector<long> counts_;
  std::function<void(const std::string&, double)> listener_;
};

}  // namespace credo::rl
