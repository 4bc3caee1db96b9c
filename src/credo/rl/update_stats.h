#pragma once
// Statistics a learner reports at each update (gradient norms before clipping, losses, Q or value
// statistics), accumulated until the trainer writes a metrics row. A name ending in "_max" keeps the maximum,
// one ending in "_min" the minimum, every other name the mean over the updates of the interval.
//
// Values still on the learner's device are added as tensors and read together by flush(), once per update: on
// a GPU each separate read would be a synchronisation, and inside a CUDA graph none is allowed.
#include <torch/torch.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace credo::rl {

class UpdateStats {
 public:
  explicit UpdateStats(std::vector<std::string> names = {});

  void add(const std::string& name, double value);  // name must be one of names()
  // A one-element tensor's value, added at the next flush(). A seed population's learner adds one value per
  // seed ([N]), which its population hands out to the seeds instead (rl/learner_population.h).
  void add(const std::string& name, const torch::Tensor& value);
  // q_mean, q_max and q_min of a batch of Q values (or values), and target_mean when a target is given; added
  // at the next flush().
  void add_q(const torch::Tensor& q, const torch::Tensor& target = {});
  // Reads the tensors added since the last flush in one copy to the host and adds their values in order.
  void flush();
  // The tensors added since the last flush, taken out unread (a CUDA graph keeps those its capture added and
  // hands them back with queue() after each replay, when they hold that replay's values).
  std::vector<std::pair<std::string, torch::Tensor>> take_pending();
  void queue(const std::vector<std::pair<std::string, torch::Tensor>>& pending);
  // Called with every value added (the explosion monitor watches each update, not only the aggregates).
  void set_listener(std::function<void(const std::string&, double)> listener) {
    listener_ = std::move(listener);
  }
  const std::vector<std::string>& names() const { return names_; }
  // The aggregated value of each name since the last take() (NaN for a name with no value), then resets.
  std::vector<std::pair<std::string, double>> take();

  // What has accumulated since the last take(), for a checkpoint, so that a run resumed inside a metrics
  // row's interval writes the row the uninterrupted run would: per name with values, "NAME" (the sum, or the
  // max / min) and "NAME#count". Reads pending tensors first. restore() takes it back; names it does not
  // declare are ignored, and a name missing from `state` starts empty.
  std::map<std::string, double> state();
  void restore(const std::map<std::string, double>& state);

 private:
  std::size_t index_of(const std::string& name) const;  // throws std::logic_error for an undeclared name

  std::vector<std::string> names_;
  std::vector<double> values_;
  std::vector<long> counts_;
  std::vector<std::pair<std::string, torch::Tensor>> pending_;
  std::function<void(const std::string&, double)> listener_;
};

}  // namespace credo::rl
