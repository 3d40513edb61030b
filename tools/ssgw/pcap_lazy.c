/*
 * pcap_lazy.c - libpcap for the `ssgw` binary, loaded the first time a capture needs it.
 *
 * The capture layer reads regular classic pcap files itself (src/capture/pcap_file.c) and
 * hands everything else - pcapng, stdin, pipes, headers it does not accept - to libpcap.
 * Linking libpcap loads its D-Bus and libsystemd chain (nine libraries, ~0.8 ms of CPU) at
 * every start of every command, while `ssgw decode` of a classic pcap file never calls it.
 * So the binary defines the six libpcap functions the capture layer calls (capture.c) as
 * forwarders to the real ones, looked up with dlopen of the libpcap the build found
 * (SSGW_LIBPCAP_SONAME, from its SONAME: CMakeLists.txt) when a capture is first handed to
 * libpcap; the linker then binds the capture layer's calls here and, with --as-needed, does
 * not record libpcap. The modules, the tests and libssgw.so link libpcap as before.
 *
 * Only pcap_open_offline_with_tstamp_precision can be the first call (the others take the
 * pcap_t it returned); if libpcap cannot be loaded it fails with the loader's reason in
 * errbuf, as libpcap fails with its own.
 */
#include <dlfcn.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifndef SSGW_LIBPCAP_SONAME
#error "SSGW_LIBPCAP_SONAME: the SONAME of libpcap (CMakeLists.txt)"
#endif

static struct {
    pcap_t *(*open_offline)(const char *, u_int, char *);
    void (*close)(pcap_t *);
    int (*datalink)(pcap_t *);
    FILE *(*file)(pcap_t *);
    int (*next_ex)(pcap_t *, struct pcap_pkthdr **, const u_char **);
    char *(*geterr)(pcap_t *);
} lib;
static char load_error[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* POSIX: a function's address comes back from dlsym as a void *. */
static int sym(void *h, const char *name, void *fn, size_t size)
{
    void *p = dlsym(h, name);
    if (!p) {
        snprintf(load_error, sizeof load_error, "%s: no %s", SSGW_LIBPCAP_SONAME, name);
        return -1;
    }
    memcpy(fn, &p, size);
    return 0;
}

static void load(void)
{
    void *h = dlopen(SSGW_LIBPCAP_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(load_error, sizeof load_error, "cannot load %s: %s", SSGW_LIBPCAP_SONAME,
                 dlerror());
        return;
    }
#define SYM(member, name) sym(h, name, &lib.member, sizeof lib.member)
    if (SYM(close, "pcap_close") < 0 || SYM(datalink, "pcap_datalink") < 0 ||
        SYM(file, "pcap_file") < 0 || SYM(next_ex, "pcap_next_ex") < 0 ||
        SYM(geterr, "pcap_geterr") < 0 ||
        SYM(open_offline, "pcap_open_offline_with_tstamp_precision") < 0)
        lib.open_offline = NULL; /* set last: NULL means unusable */
#undef SYM
}

pcap_t *pcap_open_offline_with_tstamp_precision(const char *path, u_int precision, char *errbuf)
{
    pthread_once(&once, load);
    if (!lib.open_offline) {
        snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", load_error);
        return NULL;
    }
    return lib.open_offline(path, precision, errbuf);
}

void pcap_close(pcap_t *p)
{
    lib.close(p);
}

int pcap_datalink(pcap_t *p)
{
    return lib.datalink(p);
}

FILE *pcap_file(pcap_t *p)
{
    return lib.file(p);
}

int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **h, const u_char **data)
{
    return lib.next_ex(p, h, data);
}

char *pcap_geterr(pcap_t *p)
{
    return lib.geterr(p);
}
