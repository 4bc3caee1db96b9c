#pragma once
// SIGINT and SIGTERM as a request to stop: long jobs poll stop_requested() and end cleanly (a final
// checkpoint, status "interrupted") instead of dying mid-write.
namespace credo {

void install_stop_handlers();
bool stop_requested();
int stop_signal();  // the signal that asked to stop, 0 if none

}  // namespace credo
