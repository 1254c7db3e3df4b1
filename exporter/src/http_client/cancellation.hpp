// cancel() for a client that runs one exchange at a time, each on a fresh io_context (the
// HTTP client and the SMTP client): cancel() from any thread stops the exchange in progress,
// and every later one sees it and does not start.
//
//   net::io_context ioc;
//   const Cancellation::Exchange registered(cancellation_, ioc);
//   if (registered.cancelled()) return ...;   // cancel() came first
//   ... run ioc ...                         // cancel() now stops it
#pragma once

#include <boost/asio/io_context.hpp>
#include <mutex>

namespace lagwatch::http_client {

class Cancellation {
 public:
  void cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    if (current_ != nullptr) current_->stop();
  }

  // Registers `ioc` as the exchange cancel() stops, for its lifetime; unless cancel() came first.
  class Exchange {
   public:
    Exchange(Cancellation& c, boost::asio::io_context& ioc) : c_(c) {
      std::lock_guard lock(c_.mu_);
      cancelled_ = c_.cancelled_;
      if (!cancelled_) c_.current_ = &ioc;
    }
    ~Exchange() {
      std::lock_guard lock(c_.mu_);
      if (!cancelled_) c_.current_ = nullptr;
    }
    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;

    bool cancelled() const { return cancelled_; }

   private:
    Cancellation& c_;
    bool cancelled_;
  };

 private:
  std::mutex mu_;
  bool cancelled_ = false;
  boost::asio::io_context* current_ = nullptr;  // the io_context of the exchange in progress
};

}  // namespace lagwatch::http_client
