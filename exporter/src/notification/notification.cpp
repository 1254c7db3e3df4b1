#include "notification/notification.hpp"

namespace lagwatch::notify {

const char* event_name(Event e) { return e == Event::firing ? "firing" : "resolved"; }

}  // namespace lagwatch::notify
