#include "notify/config/kind.hpp"

namespace lagwatch::notify {

extern const KindSpec kWebhookKind;
extern const KindSpec kSlackKind;
extern const KindSpec kTeamsKind;
extern const KindSpec kPagerDutyKind;
extern const KindSpec kEmailKind;

namespace {

const KindSpec* const kKinds[] = {&kWebhookKind, &kSlackKind, &kTeamsKind, &kPagerDutyKind, &kEmailKind};

}  // namespace

const KindSpec* find_kind(std::string_view name) {
  for (const KindSpec* k : kKinds) {
    if (k->name == name) return k;
  }
  return nullptr;
}

std::vector<std::string> kind_names() {
  std::vector<std::string> out;
  for (const KindSpec* k : kKinds) out.emplace_back(k->name);
  return out;
}

std::string_view body_template_of(const NotifierConfig& c, const KindSpec& kind) {
  return c.template_text.empty() ? kind.default_template : std::string_view(c.template_text);
}

std::string_view url_of(const NotifierConfig& c, const KindSpec& kind) {
  return c.url.empty() ? kind.default_url : std::string_view(c.url);
}

}  // namespace lagwatch::notify
