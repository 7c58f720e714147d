/*
 * formula.h -- a safe evaluator for the shop's admin-written formulas: tax
 * formulas ("$ttc = $ht * (1 + $tr / 100)") and shipping formulas
 * ("$shp = $a + $b * $q").  local_shop handed these to PHP eval() behind a
 * word blacklist (§11.3 #25); here they are parsed by a small grammar and
 * evaluated in exact decimals (decimal.h).  Nothing is ever executed.
 *
 * Grammar (whitespace -- space, tab, CR, LF -- allowed between tokens):
 *   formula  := [ '$' target '=' ] expr [ ';' ]
 *   expr     := term { ('+' | '-') term }
 *   term     := unary { ('*' | '/') unary }
 *   unary    := ('-' | '+') unary | primary
 *   primary  := number | '$' name | func '(' expr { ',' expr } ')' | '(' expr ')'
 *   number   := digits with at most one '.', as decimal.h parses them
 *               (no exponent, no sign: "-" is the unary operator)
 *   name     := [A-Za-z_][A-Za-z0-9_]*   (case-insensitive, as local_shop
 *               lower-cased formulas: $TTC and $ttc are one variable)
 *   func     := min | max (1 to SHOP_FORMULA_MAX_ARGS arguments)
 *             | round (x [, digits]: digits an integer 0..18, half-up,
 *               ties away from zero) | floor | ceil | abs (one argument)
 * '+' '-' '*' are exact, '/' is rounded half-up to 18 decimals (decimal.h).
 * The assignment is optional; when present its variable must be the target
 * the caller names (tax: ttc, shipping: shp).  A bare expression is the
 * value.  One statement only: "$ht; $x = 1" is refused.
 *
 * Refused, with a message and the byte offset of the offending token:
 *   unexpected character '`' at 12     (also NUL, '\xc3' for non-ASCII bytes,
 *                                       '<' of "<?php", '"', '\'', '#', ...)
 *   unknown variable $foo at 3          (not in the caller's list)
 *   unknown function 'system' at 0
 *   expected a variable name after '$' at 1    ("$$ht")
 *   unexpected '*' at 5                 ("$ht ** 2")
 *   malformed number at 0 / number out of range at 0   ("1e400", "1.2.3")
 *   division by zero at 2               (a literal zero divisor: "1/0")
 *   nesting deeper than 32 at N, more than 256 tokens at N,
 *   formula longer than 1024 bytes at 1024, empty formula at 0, ...
 * Evaluation errors carry the offset of the operator or function:
 *   division by zero at N, overflow at N, round() digits must be an integer
 *   from 0 to 18 at N.
 *
 * Limits (named below): source length, tokens, nesting depth (parentheses,
 * function calls and unary operators all count), function arguments, name
 * length, variables.  The parser recurses at most SHOP_FORMULA_MAX_DEPTH
 * levels; evaluation is iterative over a fixed stack: hostile input costs
 * bounded time and memory.
 *
 * Memory and threads: shop_formula_compile allocates the compiled program
 * in p (nothing else: no cleanup needed) and keeps no pointer to the source
 * or to the variable list.  A compiled formula is immutable: any number of
 * threads may evaluate it at once.  shop_formula_eval allocates nothing.
 * Errors are written into the caller's shop_formula_error_t.
 */
#ifndef SHOP_CORE_FORMULA_H
#define SHOP_CORE_FORMULA_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#include "core/decimal.h"

#define SHOP_FORMULA_MAX_LEN        1024   /* bytes of source */
#define SHOP_FORMULA_MAX_TOKENS     256
#define SHOP_FORMULA_MAX_DEPTH      32
#define SHOP_FORMULA_MAX_ARGS       16     /* min()/max() arguments */
#define SHOP_FORMULA_MAX_NAME       32     /* bytes of a variable or function name */
#define SHOP_FORMULA_MAX_VARS       16     /* variables a caller may offer */
#define SHOP_FORMULA_ERR_SIZE       128

typedef struct shop_formula_t shop_formula_t;

typedef struct shop_formula_error_t {
    apr_size_t pos;                     /* byte offset in the source */
    char msg[SHOP_FORMULA_ERR_SIZE];    /* English, ends with " at <pos>" */
} shop_formula_error_t;

/* Compile src[0..len) (need not be NUL-terminated).  vars[0..nvars) are the
 * variable names the formula may read, without '$', lower case (e.g. {"ht",
 * "tr"}); target is the one variable it may assign (e.g. "ttc"), or NULL to
 * refuse any assignment; target need not be in vars (reading it is then an
 * unknown variable).  On success *out is the program.  APR_EINVAL with err
 * filled for a refused formula; APR_EINVAL with pos 0 for bad arguments
 * (NULL src or out, nvars outside 0..SHOP_FORMULA_MAX_VARS, a bad name). */
apr_status_t shop_formula_compile(apr_pool_t *p, const char *src,
                                  apr_size_t len, const char *const *vars,
                                  int nvars, const char *target,
                                  shop_formula_t **out,
                                  shop_formula_error_t *err);

/* Evaluate f with values[i] the value of vars[i] of the compile call
 * (nvalues must be at least that nvars).  APR_SUCCESS with *result set;
 * otherwise *result untouched, err filled (if not NULL) and APR_EINVAL
 * (division by zero, bad round() digits, bad arguments) or APR_ERANGE
 * (overflow). */
apr_status_t shop_formula_eval(const shop_formula_t *f,
                               const shop_dec_t *values, int nvalues,
                               shop_dec_t *result, shop_formula_error_t *err);

/* 1 if the source had the "$target =" form, else 0. */
int shop_formula_assigns(const shop_formula_t *f);

/* 1 if the formula reads vars[i], else 0. */
int shop_formula_uses(const shop_formula_t *f, int i);

#endif /* SHOP_CORE_FORMULA_H */
