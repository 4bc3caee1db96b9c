// Test entry point for the LibTorch tests: one intra-op thread, so results are deterministic and CI stays
// quiet.
#include <gtest/gtest.h>
#include <torch/torch.h>

int main(int argc, char** argv) {
  torch::set_num_threads(1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
