// Live WebSocket connections, indexed by the user they belong to. The events consumer calls
// Deliver(user_id, text) from any thread; each connection writes its queue in order on its
// own executor. Keep-alive: the server pings a connection that has been silent for half the
// idle timeout and drops it if nothing comes back by the timeout. A connection whose send
// queue grows past a bound (a client not reading) is closed rather than buffered forever.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ascension::http {

class WebSocketConnection;

class WebSocketHub {
 public:
  explicit WebSocketHub(std::chrono::seconds idle_timeout = std::chrono::seconds(60));
  ~WebSocketHub();

  // Completes the handshake of an authenticated upgrade request and registers the connection
  // with the credential that authenticated it.
  void Accept(boost::asio::ip::tcp::socket socket,
              boost::beast::http::request<boost::beast::http::string_body> upgrade,
              const std::string& user_id, const std::string& credential);

  // Queues `text` on every open connection of the user. Returns how many connections.
  int Deliver(const std::string& user_id, const std::string& text);

  // Sends a close frame (going away) to every connection.
  void CloseAll();

  // Asks `still_valid(user_id, credential)` of every open connection (outside the hub's lock) and
  // closes those it refuses (policy violation: the token expired or was revoked). Returns how
  // many were closed.
  int CloseInvalid(
      const std::function<bool(const std::string& user_id, const std::string& credential)>&
          still_valid);

  int connections() const { return count_.load(); }

  // Internal: called by a connection when it opens or ends.
  void Add(const std::string& user_id, const std::shared_ptr<WebSocketConnection>& c);
  void Remove(const std::string& user_id, const WebSocketConnection* c);

 private:
  std::chrono::seconds idle_timeout_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<WebSocketConnection>>> by_user_;
  std::atomic<int> count_{0};
};

}  // namespace ascension::http
