/*
 * pl_prefetch.c - warming the embedded state store's records before a message's turn.
 *
 * The store's tables are tens of MB and hashed, so the first read of each record a message
 * makes (its subscriber's location, its dialogue, its rate bucket, ...) misses the cache;
 * in `ssgw analyze --threads` the turn spent about a quarter of its time there
 * (docs/BENCHMARKS.md, "seventh session"). The thread that decodes ahead lists the keys a
 * message's judging will read (ssgw_pipeline_store_keys: the firewall's own list,
 * ssgw_firewall_prefetch_keys, so they are hashed as the reads hash them), and the turn,
 * a few messages before it judges that message, has the store prefetch them
 * (ssgw_pipeline_warm). Neither changes any state: a wrong key costs time, not a verdict.
 */
#include "inspect/pl_int.h"

size_t ssgw_pipeline_store_keys(ssgw_pipeline *p, const ssgw_pipeline_msg *m,
                                ssgw_pipeline_decoded *d, ssgw_store_key *keys, size_t cap)
{
    if (!p->store->ops->warm || !(p->stages & SSGW_PL_FIREWALL) || !d || !d->ready) return 0;
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    const pl_gen *g = &p->cur;
    size_t n = 0;
    /* only where ssgw_pipeline_decode_ahead decoded the MAP parameters already (listing the
     * keys decodes them): elsewhere the run decodes them itself, as one lane would */
    if (d->direction != SSGW_DIR_INBOUND || !(g->tcfg && (p->stages & SSGW_PL_VERIFY))) {
        ssgw_firewall_meta meta = {.time_ms = m->time_ms,
                                   .direction = d->direction,
                                   .peer_host = m->peer_host,
                                   .peer_realm = m->peer_realm,
                                   .source = d->link};
        n = ssgw_firewall_prefetch_keys(g->fw, &d->view, &meta, keys, cap);
    }
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
    return n;
}

void ssgw_pipeline_warm(const ssgw_pipeline *p, const ssgw_store_key *keys, size_t n)
{
    if (n && p->store->ops->warm) p->store->ops->warm(p->store, keys, n);
}
