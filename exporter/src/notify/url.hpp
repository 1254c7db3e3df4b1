// Webhook URLs: util/http_url.hpp, under the names notify/ has always used.
#pragma once

#include "util/http_url.hpp"

namespace lagwatch::notify {

using util::HttpUrl;
using util::mask_url;
using util::parse_http_url;

}  // namespace lagwatch::notify
