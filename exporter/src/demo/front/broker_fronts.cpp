#include "demo/front/broker_fronts.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "demo/front/frames.hpp"
#include "demo/front/local_answers.hpp"
#include "kafka/protocol/api_versions.hpp"
#include "kafka/protocol/find_coordinator.hpp"
#include "kafka/protocol/metadata.hpp"
#include "kafka/protocol/produce.hpp"
#include "kafka/wire/api.hpp"
#include "kafka/wire/frame.hpp"

namespace lagwatch::demo::front {

namespace protocol = kafka::protocol;
namespace wire = kafka::wire;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr size_t kMaxRequestBytes = 16u << 20;
constexpr size_t kMaxResponseBytes = wire::kDefaultMaxFrameBytes;

bool is(int16_t key, wire::ApiKey k) { return key == static_cast<int16_t>(k); }

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// A response frame (no size prefix) with its body replaced by `body`, its header kept.
void replace_body(std::vector<uint8_t>& frame, size_t body_offset, std::span<const uint8_t> body) {
  frame.resize(body_offset);
  frame.insert(frame.end(), body.begin(), body.end());
}

}  // namespace

struct BrokerFronts::Impl {
  class Front;

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(Front& front, tcp::socket client) : front_(front), client_(std::move(client)), up_(front.impl.ioc) {
      error_code ec;
      const auto peer = client_.remote_endpoint(ec);
      origin_.broker = front_.id;
      origin_.client_host = "/" + (ec ? std::string("unknown") : peer.address().to_string());
    }

    void start() {
      up_.async_connect(front_.upstream, [self = shared_from_this()](const error_code& ec) {
        if (self->closed_) return;
        if (ec) {
          spdlog::debug("demo front {}: cannot reach mock broker: {}", self->front_.id, ec.message());
          return self->close();
        }
        self->read_request();
      });
    }

    void close() {
      if (closed_) return;
      closed_ = true;
      error_code ignored;
      client_.shutdown(tcp::socket::shutdown_both, ignored);
      client_.close(ignored);
      up_.close(ignored);
    }

   private:
    void read_request() {
      boost::asio::async_read(client_, boost::asio::buffer(prefix_),
                              [self = shared_from_this()](const error_code& ec, size_t) {
                                if (self->closed_) return;
                                if (ec) return self->close();
                                const uint32_t size = be32(self->prefix_.data());
                                if (size < 8 || size > kMaxRequestBytes) {
                                  spdlog::debug("demo front {}: request of {} bytes refused", self->front_.id, size);
                                  return self->close();
                                }
                                self->request_.assign(size, 0);
                                boost::asio::async_read(self->client_, boost::asio::buffer(self->request_),
                                                        [self](const error_code& ec2, size_t) {
                                                          if (self->closed_) return;
                                                          if (ec2) return self->close();
                                                          self->on_request();
                                                        });
                              });
    }

    void on_request() {
      try {
        header_ = parse_request_header(request_);
        origin_.client_id = header_.client_id.value_or("");
        if (auto answer = answer_here()) return respond(std::move(*answer));
        forward();
      } catch (const std::exception& e) {
        // A request that breaks the protocol: Kafka closes the connection too.
        spdlog::debug("demo front {}: closing a connection: {}", front_.id, e.what());
        close();
      }
    }

    // The answer to a request the front handles itself, framed; nullopt to forward it.
    std::optional<std::vector<uint8_t>> answer_here() {
      if (!front::answered_here(header_.api_key)) return std::nullopt;
      FrontState state{front_.impl.simulation, front_.impl.groups, front_.id, front_.impl.ports};
      return front::answer_here(header_, request_, state, std::chrono::steady_clock::now());
    }

    void forward() {
      // Produce with acks=0 gets no answer from a broker: relay it and read the next request.
      bool answered = true;
      if (is(header_.api_key, wire::ApiKey::produce)) {
        observe([&] {
          auto r = request_body(request_, header_);
          const auto produce = protocol::decode_produce_request(r, header_.api_version);
          answered = produce.acks != 0;
          for (const auto& t : produce.topic_data) {
            for (const auto& p : t.partitions) {
              front_.impl.simulation.produced(t.name, p.index, static_cast<int64_t>(p.records_bytes));
            }
          }
        });
      }
      out_ = with_size_prefix(request_);
      boost::asio::async_write(up_, boost::asio::buffer(out_),
                               [self = shared_from_this(), answered](const error_code& ec, size_t) {
                                 if (self->closed_) return;
                                 if (ec) return self->close();
                                 if (!answered) return self->read_request();
                                 self->read_response();
                               });
    }

    void read_response() {
      boost::asio::async_read(up_, boost::asio::buffer(prefix_),
                              [self = shared_from_this()](const error_code& ec, size_t) {
                                if (self->closed_) return;
                                if (ec) return self->close();
                                const uint32_t size = be32(self->prefix_.data());
                                if (size < 4 || size > kMaxResponseBytes) return self->close();
                                self->response_.assign(size, 0);
                                boost::asio::async_read(self->up_, boost::asio::buffer(self->response_),
                                                        [self](const error_code& ec2, size_t) {
                                                          if (self->closed_) return;
                                                          if (ec2) return self->close();
                                                          self->after_response();
                                                          self->respond(with_size_prefix(self->response_));
                                                        });
                              });
    }

    // Runs `f`; a frame it cannot read is only noted: forwarding never depends on decoding.
    template <class F>
    void observe(F&& f) {
      try {
        f();
      } catch (const std::exception& e) {
        spdlog::debug("demo front {}: {} v{} passed through undecoded: {}", front_.id, wire::api_name(header_.api_key),
                      header_.api_version, e.what());
      }
    }

    void after_response() {
      const int16_t key = header_.api_key;
      const int16_t version = header_.api_version;
      if (!wire::is_implemented(static_cast<wire::ApiKey>(key), version)) return;
      auto& impl = front_.impl;
      const auto now = std::chrono::steady_clock::now();
      const auto api = static_cast<wire::ApiKey>(key);
      observe([&] {
        auto body = wire::response_body(response_, api, version);
        const size_t body_offset = body.position();
        auto req = request_body(request_, header_);
        wire::Writer w;
        switch (api) {
          case wire::ApiKey::api_versions: {
            auto answer = protocol::decode_api_versions_response(body, version);
            if (answer.error_code != 0 || answer.decoded_version != version) return;
            for (auto k : apis_answered_here()) {
              const auto range = wire::implemented_versions(k);
              std::erase_if(answer.api_keys, [&](const auto& e) { return e.api_key == static_cast<int16_t>(k); });
              answer.api_keys.push_back({static_cast<int16_t>(k), range.min, range.max});
            }
            std::sort(answer.api_keys.begin(), answer.api_keys.end(),
                      [](const auto& a, const auto& b) { return a.api_key < b.api_key; });
            protocol::encode(w, answer, version);
            break;
          }
          case wire::ApiKey::metadata: {
            auto answer = protocol::decode_metadata_response(body, version);
            impl.simulation.observe(answer);
            impl.simulation.present(answer, impl.ports);
            protocol::encode(w, answer, version);
            break;
          }
          case wire::ApiKey::find_coordinator: {
            auto answer = protocol::decode_find_coordinator_response(body, version);
            for (auto& c : answer.coordinators) {
              if (const auto it = impl.ports.find(c.node_id); it != impl.ports.end()) c.port = it->second;
            }
            protocol::encode(w, answer, version);
            break;
          }
          case wire::ApiKey::join_group:
            impl.groups.joined(origin_, protocol::decode_join_group_request(req, version),
                               protocol::decode_join_group_response(body, version), now);
            return;
          case wire::ApiKey::sync_group:
            impl.groups.synced(protocol::decode_sync_group_request(req, version),
                               protocol::decode_sync_group_response(body, version), now);
            return;
          case wire::ApiKey::heartbeat:
            impl.groups.heartbeat(protocol::decode_heartbeat_request(req, version),
                                  protocol::decode_heartbeat_response(body, version), now);
            return;
          case wire::ApiKey::leave_group:
            impl.groups.left(protocol::decode_leave_group_request(req, version), now);
            return;
          case wire::ApiKey::offset_commit:
            impl.groups.committed(origin_, protocol::decode_offset_commit_request(req, version), now);
            return;
          default:
            return;
        }
        replace_body(response_, body_offset, w.bytes());
      });
    }

    void respond(std::vector<uint8_t> frame) {
      out_ = std::move(frame);
      boost::asio::async_write(client_, boost::asio::buffer(out_),
                               [self = shared_from_this()](const error_code& ec, size_t) {
                                 if (self->closed_) return;
                                 if (ec) return self->close();
                                 self->read_request();
                               });
    }

    Front& front_;
    tcp::socket client_;
    tcp::socket up_;
    RequestOrigin origin_;
    bool closed_ = false;
    std::array<uint8_t, 4> prefix_{};
    std::vector<uint8_t> request_;
    RequestHeader header_;
    std::vector<uint8_t> response_;
    std::vector<uint8_t> out_;
  };

  class Front {
   public:
    Front(Impl& owner, int32_t broker_id, tcp::endpoint upstream_endpoint)
        : impl(owner), id(broker_id), upstream(std::move(upstream_endpoint)), acceptor_(owner.ioc) {
      listen(0);
    }

    void listen(uint16_t at) {
      const tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), at);
      acceptor_.open(ep.protocol());
      acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
      acceptor_.bind(ep);
      acceptor_.listen();
      port = acceptor_.local_endpoint().port();
      accept();
    }

    // I/O thread only.
    void set_down(bool down) {
      error_code ignored;
      if (down) {
        acceptor_.close(ignored);
        for (auto& weak : sessions_) {
          if (auto s = weak.lock()) s->close();
        }
        sessions_.clear();
      } else if (!acceptor_.is_open()) {
        listen(port);
      }
    }

    Impl& impl;
    const int32_t id;
    const tcp::endpoint upstream;
    uint16_t port = 0;

   private:
    void accept() {
      acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
        if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
        if (!ec) {
          error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          auto session = std::make_shared<Session>(*this, std::move(socket));
          std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
          sessions_.push_back(session);
          session->start();
        }
        accept();
      });
    }

    tcp::acceptor acceptor_;
    std::vector<std::weak_ptr<Session>> sessions_;
  };

  Impl(Simulation& sim, GroupRegistry& registry) : simulation(sim), groups(registry), work(ioc.get_executor()) {}

  Simulation& simulation;
  GroupRegistry& groups;
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::vector<std::unique_ptr<Front>> fronts;
  std::map<int32_t, uint16_t> ports;  // written before the I/O thread starts, then read-only
  std::thread thread;
};

BrokerFronts::BrokerFronts(const std::string& mock_bootstraps, Simulation& simulation, GroupRegistry& groups)
    : impl_(std::make_unique<Impl>(simulation, groups)) {
  tcp::resolver resolver(impl_->ioc);
  int32_t id = 0;
  size_t start = 0;
  while (start < mock_bootstraps.size()) {
    const size_t comma = std::min(mock_bootstraps.find(',', start), mock_bootstraps.size());
    const std::string one = mock_bootstraps.substr(start, comma - start);
    start = comma + 1;
    const size_t colon = one.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("demo front: no port in mock broker '" + one + "'");
    const auto upstream = resolver.resolve(tcp::v4(), one.substr(0, colon), one.substr(colon + 1)).begin()->endpoint();
    auto front = std::make_unique<Impl::Front>(*impl_, ++id, upstream);
    impl_->ports[id] = front->port;
    impl_->fronts.push_back(std::move(front));
  }
  if (impl_->fronts.empty()) throw std::runtime_error("demo front: no mock brokers in '" + mock_bootstraps + "'");
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

BrokerFronts::~BrokerFronts() {
  boost::asio::post(impl_->ioc, [impl = impl_.get()] {
    for (auto& f : impl->fronts) f->set_down(true);
    impl->ioc.stop();
  });
  impl_->thread.join();
}

std::string BrokerFronts::bootstraps() const {
  std::string out;
  for (const auto& [id, port] : impl_->ports) out += (out.empty() ? "" : ",") + ("127.0.0.1:" + std::to_string(port));
  return out;
}

std::map<int32_t, uint16_t> BrokerFronts::ports() const { return impl_->ports; }

void BrokerFronts::set_down(int32_t broker, bool down) {
  if (!impl_->ports.count(broker)) throw std::out_of_range("demo front: no broker " + std::to_string(broker));
  std::promise<void> done;
  boost::asio::post(impl_->ioc, [&] {
    try {
      impl_->fronts.at(static_cast<size_t>(broker - 1))->set_down(down);
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  });
  done.get_future().get();
}

}  // namespace lagwatch::demo::front
