#include "demo/incident_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <iostream>

namespace lagwatch::demo {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

constexpr auto kTimeout = std::chrono::seconds(10);
constexpr size_t kMaxAnswerBytes = 64 * 1024;

// The host a client reaches a listener of `listen_address` on.
std::pair<std::string, std::string> target_of(const std::string& listen_address) {
  const size_t colon = listen_address.rfind(':');
  std::string host = colon == std::string::npos ? "" : listen_address.substr(0, colon);
  const std::string port = colon == std::string::npos ? listen_address : listen_address.substr(colon + 1);
  if (host.empty() || host == "0.0.0.0" || host == "[::]" || host == "::") host = "127.0.0.1";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, port};
}

}  // namespace

int run_incident_client(const std::string& listen_address, const std::vector<std::string>& args) {
  // Named copies, not a structured binding: the lambdas below capture them (clang 14 cannot).
  const auto where = target_of(listen_address);
  const std::string host = where.first;
  const std::string port = where.second;
  std::string target = "/demo/incidents";
  for (const auto& a : args) target += "/" + a;
  const bool list = args.empty();

  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  tcp::resolver resolver(ioc);
  bhttp::request<bhttp::empty_body> req(list ? bhttp::verb::get : bhttp::verb::post, target, 11);
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::user_agent, "lagwatch demo incident");
  req.content_length(0);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxAnswerBytes);
  std::string error;

  stream.expires_after(kTimeout);
  resolver.async_resolve(host, port, [&](const beast::error_code& ec, tcp::resolver::results_type results) {
    if (ec) return void(error = "resolve " + host + ": " + ec.message());
    stream.async_connect(results, [&](const beast::error_code& ec2, const tcp::endpoint&) {
      if (ec2) return void(error = "connect: " + ec2.message());
      bhttp::async_write(stream, req, [&](const beast::error_code& ec3, size_t) {
        if (ec3) return void(error = "send: " + ec3.message());
        bhttp::async_read(stream, buffer, parser, [&](const beast::error_code& ec4, size_t) {
          if (ec4) error = "answer: " + ec4.message();
        });
      });
    });
  });
  ioc.run();

  if (!error.empty()) {
    std::cerr << "lagwatch demo incident: no demo answered on " << host << ":" << port << " (" << error
              << ").\nStart one with ./scripts/demo.sh (or lagwatch demo) in another terminal; if it listens "
                 "elsewhere, pass the same --web.listen-address.\n";
    return 2;
  }
  const auto& answer = parser.get();
  if (answer.result() == bhttp::status::not_found) {
    std::cerr << "lagwatch demo incident: " << host << ":" << port
              << " answered 404: it is not a lagwatch demo (lagwatch serve has no incidents).\n";
    return 2;
  }
  (answer.result_int() == 200 ? std::cout : std::cerr) << answer.body();
  return answer.result_int() == 200 ? 0 : 1;
}

}  // namespace lagwatch::demo
