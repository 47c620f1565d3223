#include "store/outbox.hpp"

namespace ascension::store {

using pg::P;

Result<int> RelayOutbox(pg::Connection& c, int batch, const Publish& publish) {
  pg::Transaction tx(c);
  if (!tx.begin_status().ok()) return tx.begin_status();
  auto rows = tx.Exec(
      "SELECT id, exchange, routing_key, body, priority FROM outbox WHERE sent_at IS NULL "
      "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
      {P(batch)});
  if (!rows.ok()) return rows.status();
  int sent = 0;
  Status first_error;
  for (int i = 0; i < rows->size(); ++i) {
    OutboxMessage m{rows->Int(i, 0), rows->Text(i, 1), rows->Text(i, 2), rows->Text(i, 3),
                    static_cast<int>(rows->Int(i, 4))};
    Status s = publish(m);
    if (!s.ok()) {
      (void)tx.Exec("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                    {P(m.id), P(s.message())});
      first_error = s;
      break;
    }
    auto mark = tx.Exec("UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1", {P(m.id)});
    if (!mark.ok()) return mark.status();
    ++sent;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  if (sent == 0 && !first_error.ok()) return first_error;
  return sent;
}

Result<int> OutboxBacklog(pg::Connection& c) {
  auto r = c.Exec("SELECT count(*) FROM outbox WHERE sent_at IS NULL");
  if (!r.ok()) return r.status();
  return static_cast<int>(r->Int(0, 0));
}

}  // namespace ascension::store
