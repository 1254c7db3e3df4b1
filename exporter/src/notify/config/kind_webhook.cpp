// kind: webhook — any HTTP receiver (a relay, an incident tool, a script). The default body is
// one JSON object with every field (notification/body_template.hpp's kDefaultTemplate).
#include "notify/config/kind.hpp"

namespace lagwatch::notify {

extern const KindSpec kWebhookKind = {
    .name = "webhook",
    .transport = Transport::http,
    .default_url = "",
    .default_template = "",  // BodyTemplate's own default, kDefaultTemplate
    .escape = Escape::json,
    .default_subject = "",
    .check = nullptr,
};

}  // namespace lagwatch::notify
