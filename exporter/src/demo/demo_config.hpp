#pragma once

namespace lagwatch::demo {

// The text of exporter/demo/lagwatch-demo.yml, as it was at build time.
const char* embedded_demo_config();

}  // namespace lagwatch::demo
