// Minimal TCP relay for the imap benchmark (ImapSessionRelay.cs): blocking sockets, one thread per direction, TCP_NODELAY,
// no parsing. One wake-up per byte hop, nothing else: the floor of any user-space proxy on the machine.
// Build: cc -O2 -pthread -o relay ImapSessionRelay.c   Run: relay LISTEN_PORT BACKEND_PORT (127.0.0.1 both).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
struct pair { int from, to; };
static void *pump(void *arg) {
  struct pair *p = arg; char buf[16384]; ssize_t n;
  while ((n = read(p->from, buf, sizeof buf)) > 0) { ssize_t off = 0; while (off < n) { ssize_t w = write(p->to, buf + off, n - off); if (w <= 0) goto out; off += w; } }
out: shutdown(p->to, SHUT_WR); return NULL;
}
int main(int argc, char **argv) {
  int listenPort = atoi(argv[1]), backendPort = atoi(argv[2]), one = 1;
  int l = socket(AF_INET, SOCK_STREAM, 0); setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(listenPort) }; a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(l, (void *)&a, sizeof a) || listen(l, 64)) { perror("listen"); return 1; }
  for (;;) {
    int c = accept(l, NULL, NULL); if (c < 0) continue;
    int b = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in ba = { .sin_family = AF_INET, .sin_port = htons(backendPort) }; ba.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(b, (void *)&ba, sizeof ba)) { close(c); close(b); continue; }
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct pair *up = malloc(sizeof *up), *down = malloc(sizeof *down); up->from = c; up->to = b; down->from = b; down->to = c;
    pthread_t t1, t2; pthread_create(&t1, NULL, pump, up); pthread_create(&t2, NULL, pump, down); pthread_detach(t1); pthread_detach(t2);
  }
}
