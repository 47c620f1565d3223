// The API configuration of the api_test binary's tests that build an App without a stack:
// PostgreSQL, RabbitMQ and S3 point at a closed port (their checks fail at once), the secrets
// are test values.
#pragma once

#include <string>

#include "api/config.hpp"

namespace ascension::api::testing {

inline ApiConfig ClosedPortConfig(const std::string& instance_id) {
  ApiConfig c;
  c.common.database_url = "postgresql://u:p@127.0.0.1:1/db?connect_timeout=1";
  c.common.rabbitmq_url = "amqp://u:p@127.0.0.1:1/";
  c.common.s3_endpoint = "http://127.0.0.1:1";
  c.common.s3_bucket = "test-bucket";
  c.common.s3_access_key = "access";
  c.common.s3_secret_key = "secret-secret";
  c.common.s3_region = "us-east-1";
  c.jwt_secret = std::string(40, 'k');
  c.instance_id = instance_id;
  c.db_pool_size = 1;
  return c;
}

}  // namespace ascension::api::testing
