/*
 * Kafka dev broker: a Kafka-protocol cluster for machines where no real broker
 * can be installed. It wraps librdkafka's mock cluster (rdkafka_mock.h), which
 * speaks the real wire protocol (produce, fetch, consumer groups, offsets),
 * and adds a line-based control channel on a loopback TCP port so any process
 * (tests, the chaos suite, the stack runner) can create topics and inject
 * faults.
 *
 * Usage:
 *   kafka-dev-broker [--brokers N] [--control-port P] [--topic NAME:PARTITIONS]...
 *
 * On start it prints one line to stdout and flushes it:
 *   READY bootstrap=127.0.0.1:p1,127.0.0.1:p2,... control=127.0.0.1:P brokers=N
 *
 * Control commands (one per line, on the control port or stdin); every reply
 * is one line starting with "ok" or "error":
 *   ping                              -> ok pong
 *   bootstrap                         -> ok <bootstrap servers>
 *   create-topic NAME PARTITIONS [RF]
 *   broker-down ID|all                (connections to it are closed and refused)
 *   broker-up ID|all
 *   rtt ID|all MS                     (added round-trip latency)
 *   request-errors API_KEY ERROR_CODE [COUNT]   (next COUNT requests fail)
 *   clear-request-errors API_KEY
 *   shutdown
 */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define LINE_MAX_LEN 1024

typedef struct {
  int fd;
  char buf[LINE_MAX_LEN];
  size_t len;
} client_t;

static volatile sig_atomic_t stop_requested = 0;
static rd_kafka_mock_cluster_t *mcluster;
static int broker_count = 3;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void die(const char *what) {
  fprintf(stderr, "kafka-dev-broker: %s\n", what);
  exit(1);
}

/* Parses "all" as -1 (every broker) or a broker id in 1..broker_count. */
static int parse_broker(const char *arg, int32_t *out) {
  if (arg == NULL) return -1;
  if (strcmp(arg, "all") == 0) {
    *out = -1;
    return 0;
  }
  char *end;
  long id = strtol(arg, &end, 10);
  if (*end != '\0' || id < 1 || id > broker_count) return -1;
  *out = (int32_t)id;
  return 0;
}

static int parse_int(const char *arg, long min, long max, long *out) {
  if (arg == NULL) return -1;
  char *end;
  long v = strtol(arg, &end, 10);
  if (*end != '\0' || v < min || v > max) return -1;
  *out = v;
  return 0;
}

static void reply_err(char *reply, size_t cap, rd_kafka_resp_err_t err) {
  if (err)
    snprintf(reply, cap, "error %s", rd_kafka_err2str(err));
  else
    snprintf(reply, cap, "ok");
}

/* Applies one control command and writes a one-line reply (without newline). */
static void handle_command(char *line, char *reply, size_t cap) {
  char *save = NULL;
  char *cmd = strtok_r(line, " \t\r", &save);
  char *a1 = strtok_r(NULL, " \t\r", &save);
  char *a2 = strtok_r(NULL, " \t\r", &save);
  char *a3 = strtok_r(NULL, " \t\r", &save);
  int32_t broker;
  long n1, n2, n3;

  if (cmd == NULL) {
    snprintf(reply, cap, "error empty command");
  } else if (strcmp(cmd, "ping") == 0) {
    snprintf(reply, cap, "ok pong");
  } else if (strcmp(cmd, "bootstrap") == 0) {
    snprintf(reply, cap, "ok %s", rd_kafka_mock_cluster_bootstraps(mcluster));
  } else if (strcmp(cmd, "create-topic") == 0) {
    long rf = broker_count < 3 ? broker_count : 3;
    if (a1 == NULL || parse_int(a2, 1, 10000, &n1) ||
        (a3 && parse_int(a3, 1, broker_count, &rf)))
      snprintf(reply, cap, "error usage: create-topic NAME PARTITIONS [RF]");
    else
      reply_err(reply, cap, rd_kafka_mock_topic_create(mcluster, a1, (int)n1, (int)rf));
  } else if (strcmp(cmd, "broker-down") == 0 || strcmp(cmd, "broker-up") == 0) {
    if (parse_broker(a1, &broker))
      snprintf(reply, cap, "error usage: %s ID|all", cmd);
    else if (cmd[7] == 'd')
      reply_err(reply, cap, rd_kafka_mock_broker_set_down(mcluster, broker));
    else
      reply_err(reply, cap, rd_kafka_mock_broker_set_up(mcluster, broker));
  } else if (strcmp(cmd, "rtt") == 0) {
    if (parse_broker(a1, &broker) || parse_int(a2, 0, 600000, &n1))
      snprintf(reply, cap, "error usage: rtt ID|all MS");
    else
      reply_err(reply, cap, rd_kafka_mock_broker_set_rtt(mcluster, broker, (int)n1));
  } else if (strcmp(cmd, "request-errors") == 0) {
    n3 = 1;
    if (parse_int(a1, 0, 1000, &n1) || parse_int(a2, -1, 10000, &n2) ||
        (a3 && parse_int(a3, 1, 100000, &n3))) {
      snprintf(reply, cap, "error usage: request-errors API_KEY ERROR_CODE [COUNT]");
    } else {
      rd_kafka_resp_err_t *errs = calloc((size_t)n3, sizeof(*errs));
      if (errs == NULL) die("out of memory");
      for (long i = 0; i < n3; i++) errs[i] = (rd_kafka_resp_err_t)n2;
      rd_kafka_mock_push_request_errors_array(mcluster, (int16_t)n1, (size_t)n3, errs);
      free(errs);
      snprintf(reply, cap, "ok");
    }
  } else if (strcmp(cmd, "clear-request-errors") == 0) {
    if (parse_int(a1, 0, 1000, &n1))
      snprintf(reply, cap, "error usage: clear-request-errors API_KEY");
    else {
      rd_kafka_mock_clear_request_errors(mcluster, (int16_t)n1);
      snprintf(reply, cap, "ok");
    }
  } else if (strcmp(cmd, "shutdown") == 0) {
    stop_requested = 1;
    snprintf(reply, cap, "ok");
  } else {
    snprintf(reply, cap, "error unknown command '%s'", cmd);
  }
}

/* Consumes complete lines from a client's buffer, replying to each. */
static void drain_lines(client_t *c, int reply_fd) {
  char *nl;
  while ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
    *nl = '\0';
    char reply[LINE_MAX_LEN];
    handle_command(c->buf, reply, sizeof(reply));
    size_t rlen = strlen(reply);
    reply[rlen++] = '\n';
    if (write(reply_fd, reply, rlen) < 0) { /* client went away: nothing to do */ }
    size_t used = (size_t)(nl - c->buf) + 1;
    memmove(c->buf, nl + 1, c->len - used);
    c->len -= used;
  }
  if (c->len == sizeof(c->buf)) c->len = 0; /* overlong line: drop it */
}

static int open_control_socket(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("cannot create control socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons((uint16_t)port);
  if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) die("cannot bind control port");
  if (listen(fd, 16) < 0) die("cannot listen on control port");
  return fd;
}

static int bound_port(int fd) {
  struct sockaddr_in addr;
  socklen_t len = sizeof(addr);
  getsockname(fd, (struct sockaddr *)&addr, &len);
  return ntohs(addr.sin_port);
}

static rd_kafka_t *new_handle(void) {
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle only owns the mock cluster; keep its own logging quiet. */
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (rk == NULL) die(errstr);
  return rk;
}

int main(int argc, char **argv) {
  int control_port = 0;
  const char *topics[256];
  int topic_count = 0;

  for (int i = 1; i < argc; i++) {
    long v;
    if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) {
      if (parse_int(argv[++i], 1, 16, &v)) die("--brokers takes 1..16");
      broker_count = (int)v;
    } else if (strcmp(argv[i], "--control-port") == 0 && i + 1 < argc) {
      if (parse_int(argv[++i], 0, 65535, &v)) die("--control-port takes 0..65535");
      control_port = (int)v;
    } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc) {
      if (topic_count == 256) die("too many --topic arguments");
      topics[topic_count++] = argv[++i];
    } else {
      die("usage: kafka-dev-broker [--brokers N] [--control-port P] [--topic NAME:PARTITIONS]...");
    }
  }

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);

  rd_kafka_t *rk = new_handle();
  mcluster = rd_kafka_mock_cluster_new(rk, broker_count);
  if (mcluster == NULL) die("cannot create mock cluster");

  for (int i = 0; i < topic_count; i++) {
    char name[512];
    const char *colon = strrchr(topics[i], ':');
    long partitions;
    if (colon == NULL || (size_t)(colon - topics[i]) >= sizeof(name) ||
        parse_int(colon + 1, 1, 10000, &partitions))
      die("--topic takes NAME:PARTITIONS");
    memcpy(name, topics[i], (size_t)(colon - topics[i]));
    name[colon - topics[i]] = '\0';
    int rf = broker_count < 3 ? broker_count : 3;
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mcluster, name, (int)partitions, rf);
    if (err) die(rd_kafka_err2str(err));
  }

  int listen_fd = open_control_socket(control_port);
  printf("READY bootstrap=%s control=127.0.0.1:%d brokers=%d\n",
         rd_kafka_mock_cluster_bootstraps(mcluster), bound_port(listen_fd), broker_count);
  fflush(stdout);

  client_t clients[MAX_CLIENTS];
  int client_count = 0;
  client_t console = {.fd = STDIN_FILENO, .len = 0};
  int stdin_open = 1;

  while (!stop_requested) {
    struct pollfd fds[MAX_CLIENTS + 2];
    int nfds = 0;
    fds[nfds++] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
    fds[nfds++] = (struct pollfd){.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN};
    for (int i = 0; i < client_count; i++)
      fds[nfds++] = (struct pollfd){.fd = clients[i].fd, .events = POLLIN};

    if (poll(fds, (nfds_t)nfds, 500) < 0) {
      if (errno == EINTR) continue;
      die("poll failed");
    }

    if (fds[0].revents & POLLIN) {
      int fd = accept(listen_fd, NULL, NULL);
      if (fd >= 0 && client_count < MAX_CLIENTS)
        clients[client_count++] = (client_t){.fd = fd, .len = 0};
      else if (fd >= 0)
        close(fd);
    }

    if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP))) {
      ssize_t n = read(STDIN_FILENO, console.buf + console.len, sizeof(console.buf) - console.len);
      if (n <= 0) {
        stdin_open = 0; /* detached: keep serving the control port */
      } else {
        console.len += (size_t)n;
        drain_lines(&console, STDOUT_FILENO);
      }
    }

    for (int i = 0; i < client_count; i++) {
      if (!(fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      client_t *c = &clients[i];
      ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
      if (n <= 0) {
        close(c->fd);
        clients[i] = clients[--client_count];
        fds[i + 2] = fds[client_count + 2];
        i--;
        continue;
      }
      c->len += (size_t)n;
      drain_lines(c, c->fd);
    }
  }

  for (int i = 0; i < client_count; i++) close(clients[i].fd);
  close(listen_fd);
  rd_kafka_mock_cluster_destroy(mcluster);
  rd_kafka_destroy(rk);
  return 0;
}
