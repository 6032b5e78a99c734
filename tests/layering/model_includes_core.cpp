// Must not compile: model/ is below core/ (docs/architecture.md), so a model source cannot reach
// core's headers. The test layering.forbidden_include_fails builds this file and passes only when
// the compiler cannot find the header.
#include "core/simulator.hpp"  // forbidden: core is above model
#include "model/site.hpp"      // allowed: the module's own header
