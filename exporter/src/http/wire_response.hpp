// A Handler's Response as Beast sends it: status, the server's own headers, the handler's headers
// once checked against injection, and a body of shared pieces sent without copying.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/server.hpp"

namespace lagwatch::http {

// A response body made of shared pieces (never copied; `owner` keeps them alive) and an owned
// tail, written with one gather write. A Beast Body type: value_type, size() and a writer.
struct PiecesBody {
  struct value_type {
    std::vector<std::string_view> shared;
    std::shared_ptr<const void> owner;
    std::string owned;
  };

  static std::uint64_t size(const value_type& v) {
    std::uint64_t n = v.owned.size();
    for (auto p : v.shared) n += p.size();
    return n;
  }

  class writer {
   public:
    using const_buffers_type = std::vector<boost::asio::const_buffer>;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      if (done_) return boost::none;
      done_ = true;
      const_buffers_type buffers;
      buffers.reserve(body_.shared.size() + 1);
      for (auto p : body_.shared) buffers.emplace_back(p.data(), p.size());
      buffers.emplace_back(body_.owned.data(), body_.owned.size());
      return std::make_pair(std::move(buffers), false);
    }

   private:
    const value_type& body_;
    bool done_ = false;
  };
};

using WireResponse = boost::beast::http::response<PiecesBody>;

// A plain-text response, for the server's own answers.
Response text_response(int status, std::string body);

// The response on the wire for `r`, answering a request of HTTP `version` (10 or 11). `head`: the
// request was HEAD, so the body is announced but not sent. Invalid statuses and headers from the
// handler are replaced or dropped, with an error log line.
WireResponse to_wire(Response r, unsigned version, bool keep_alive, bool head);

}  // namespace lagwatch::http
