/*
 * config_types.h - the policy file's own option types (digit lists, MCC-MNC
 * lists, point codes, SSNs, MAP operations, categories, TCAP types, partner
 * names, actions, answers, rates, check names, country codes), plugged into
 * the shared option mechanism (include/ssgw/cfg.h). Not a public header.
 */
#ifndef SSGW_POLICY_CONFIG_TYPES_H
#define SSGW_POLICY_CONFIG_TYPES_H

#include "policy/policy_int.h"
#include "ssgw/cfg.h"

extern const ssgw_cfg_type policy_type_country;       /* char[3] */
extern const ssgw_cfg_type policy_type_digits_list;   /* strlist */
extern const ssgw_cfg_type policy_type_mccmnc_list;   /* strlist */
extern const ssgw_cfg_type policy_type_country_list;  /* strlist: "GB", ... or "*" */
extern const ssgw_cfg_type policy_type_domain_list;   /* strlist: "bit.ly" */
extern const ssgw_cfg_type policy_type_phrase_list;   /* strlist */
extern const ssgw_cfg_type policy_type_sender;        /* char *: "MYBANK" or digits */
extern const ssgw_cfg_type policy_type_pc_list;       /* intlist */
extern const ssgw_cfg_type policy_type_ssn_list;      /* intlist */
extern const ssgw_cfg_type policy_type_op_list;       /* strlist */
extern const ssgw_cfg_type policy_type_cat_list;      /* strlist */
extern const ssgw_cfg_type policy_type_tcap_list;     /* strlist */
extern const ssgw_cfg_type policy_type_name_list;     /* strlist */
extern const ssgw_cfg_type policy_type_realm_list;    /* strlist: realms / Diameter hosts */
extern const ssgw_cfg_type policy_type_action;        /* char * */
extern const ssgw_cfg_type policy_type_answer;        /* char * */
extern const ssgw_cfg_type policy_type_rate;          /* char * */
extern const ssgw_cfg_type policy_type_check_name;    /* char * */
extern const ssgw_cfg_type policy_type_http_url;      /* char *: "" or "http://..." */
extern const ssgw_cfg_type policy_type_redis_url;     /* char *: "" or "redis[s]://host:port,.." */
extern const ssgw_cfg_type policy_type_hostport_list; /* strlist of "host:port" */
extern const ssgw_cfg_type policy_type_path_list;     /* strlist of file names */
extern const ssgw_cfg_type policy_type_percentile;    /* char *: "99.9" (50 to 100) */

/* Parses "N/Ts", "N/s", "N/m", "N/h", "off"; returns 0 or -1. */
int policy_rate_parse(const char *s, rate_spec *r);
/* MAP operation name (TS 29.002) or opcode 0-127; -1 when neither. */
int policy_op_parse(const char *s);
/* TCAP message type name ("begin", ...) as ssgw_tcap_msg_type; -1 when unknown. */
int policy_tcap_parse(const char *s);

/* "99.9" -> 99900 (thousandths, 50000..100000); 0 when not a percentile from 50 to 100
 * with up to three decimals. */
uint32_t policy_percentile_parse(const char *s);

void strlist_free(strlist *l);
/* Appends a copy of s (n bytes when n != (size_t)-1). 0, or -1 when memory ran out. */
int strlist_push(strlist *l, const char *s, size_t n);
int intlist_push(intlist *l, long long v);

/* realms.c: the Diameter realms and hosts of [home] and [[partner]] compiled into
 * p->realms / p->dhosts (errors for a realm claimed twice); freed with the policy. */
int policy_compile_realms(ssgw_policy *p, ssgw_config_diag *ec);
void policy_realms_free(ssgw_policy *p);

#endif
