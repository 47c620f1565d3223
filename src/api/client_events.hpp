// Events from the `ascension.events` exchange, as the messages the API pushes to the owner's
// WebSocket connections (DESIGN.md, "WebSocket"). The body comes from the broker: it is data from
// outside and is checked before it is read.
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace ascension::api {

struct ClientEvent {
  std::string user_id;  // whose connections receive it
  std::string message;  // {"event":"analysis:...","data":{...}}
};

// Translates one event (its routing key and JSON body). kInvalidArgument naming the problem when
// the body is not a JSON object with a string user_id, or the key is not a job event: the caller
// drops the event.
Result<ClientEvent> TranslateEvent(std::string_view routing_key, std::string_view body);

}  // namespace ascension::api
