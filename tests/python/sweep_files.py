"""The [run] table of the sweep tests' files: a small, fast TD3-sized run on Pendulum-v1."""

FAST_RUN = """[run]
env = "Pendulum-v1"
steps = {steps}
hidden = [16, 16]
batch_size = 32
start_steps = 200
eval_episodes = 1
eval_interval = 500
log_interval = 250
checkpoint_interval = 500
"""
