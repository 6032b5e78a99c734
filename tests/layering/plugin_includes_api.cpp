// Must not compile: a plugin sees the plugin SDK alone (docs/architecture.md), not the embedding
// API. The test layering.plugin_sees_the_sdk_alone builds this file as a plugin is built and passes
// only when the compiler cannot find the header.
#include <evtwin/run.hpp>       // forbidden: the embedding API
#include <evtwin/strategy.hpp>  // allowed: the SDK
