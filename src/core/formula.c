/*
 * formula.c -- safe formula compiler and evaluator (see formula.h).
 *
 * Compilation is a recursive-descent parser over a lazy lexer that emits a
 * postfix program; the recursion is bounded by SHOP_FORMULA_MAX_DEPTH and
 * the program by SHOP_FORMULA_MAX_TOKENS (every token emits at most one
 * instruction and pushes at most one value), so evaluation runs over a
 * fixed-size local stack without recursion or allocation.
 */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "core/formula.h"

enum tk {
    TK_END, TK_NUM, TK_VAR, TK_NAME, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
    TK_LP, TK_RP, TK_COMMA, TK_ASSIGN, TK_SEMI
};

typedef struct {
    enum tk kind;
    apr_size_t pos, len;        /* bytes of the token in the source */
    shop_dec_t num;             /* TK_NUM */
} token_t;

enum opcode {
    OP_CONST, OP_VAR, OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
    OP_MIN, OP_MAX, OP_ROUND, OP_FLOOR, OP_CEIL, OP_ABS
};

typedef struct {
    shop_dec_t val;             /* OP_CONST */
    apr_uint32_t pos;           /* source offset, for evaluation errors */
    unsigned char code;
    unsigned char argc;         /* functions */
    unsigned short var;         /* OP_VAR */
} op_t;

struct shop_formula_t {
    op_t *ops;
    int nops;
    int nvars;
    int assigns;
    apr_uint32_t uses;          /* bit i: reads vars[i] */
};

static const struct {
    const char *name;
    enum opcode code;
    int min_args, max_args;
} funcs[] = {
    { "min",   OP_MIN,   1, SHOP_FORMULA_MAX_ARGS },
    { "max",   OP_MAX,   1, SHOP_FORMULA_MAX_ARGS },
    { "round", OP_ROUND, 1, 2 },
    { "floor", OP_FLOOR, 1, 1 },
    { "ceil",  OP_CEIL,  1, 1 },
    { "abs",   OP_ABS,   1, 1 },
};

typedef struct {
    const char *src;
    apr_size_t len;
    const char *const *vars;
    int nvars;
    const char *target;
    token_t tok;                /* current token */
    int ntokens;
    op_t ops[SHOP_FORMULA_MAX_TOKENS];
    int nops;
    apr_uint32_t uses;
    shop_formula_error_t *err;
} parser_t;

/* ---- errors */

static apr_status_t fail(shop_formula_error_t *err, apr_size_t pos,
                         const char *what)
{
    if (err) {
        err->pos = pos;
        apr_snprintf(err->msg, sizeof err->msg, "%s at %" APR_SIZE_T_FMT,
                     what, pos);
    }
    return APR_EINVAL;
}

/* "'x'" for a printable ASCII byte, "'\xNN'" otherwise */
static const char *show_byte(char *buf, apr_size_t size, unsigned char c)
{
    if (c >= 0x20 && c < 0x7f)
        apr_snprintf(buf, size, "'%c'", c);
    else
        apr_snprintf(buf, size, "'\\x%02x'", c);
    return buf;
}

/* the token as the user wrote it, shortened, for messages */
static const char *show_tok(parser_t *ps, char *buf, apr_size_t size)
{
    const token_t *t = &ps->tok;
    apr_size_t n = t->len > 24 ? 24 : t->len;

    if (t->kind == TK_END)
        return "end of formula";
    apr_snprintf(buf, size, "'%.*s%s'", (int)n, ps->src + t->pos,
                 n < t->len ? "..." : "");
    return buf;
}

static apr_status_t unexpected(parser_t *ps)
{
    char tb[40], msg[64];
    apr_snprintf(msg, sizeof msg, "unexpected %s", show_tok(ps, tb, sizeof tb));
    return fail(ps->err, ps->tok.pos, msg);
}

/* ---- lexer */

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* case-insensitive comparison of src[pos..pos+len) with a NUL-terminated
 * lower-case name */
static int name_is(const char *s, apr_size_t len, const char *name)
{
    apr_size_t i;
    for (i = 0; i < len; i++)
        if (name[i] == '\0' || apr_tolower((unsigned char)s[i]) != name[i])
            return 0;
    return name[len] == '\0';
}

/* read the token at *at into t; *at moves past it */
static apr_status_t lex_at(parser_t *ps, apr_size_t *at, token_t *t)
{
    const char *s = ps->src;
    apr_size_t i = *at, n = ps->len;
    char cb[16], msg[64];

    while (i < n && is_space(s[i]))
        i++;
    t->pos = i;
    if (i >= n) {
        t->kind = TK_END;
        t->len = 0;
        *at = i;
        return APR_SUCCESS;
    }
    switch (s[i]) {
    case '+': t->kind = TK_PLUS; i++; break;
    case '-': t->kind = TK_MINUS; i++; break;
    case '*': t->kind = TK_STAR; i++; break;
    case '/': t->kind = TK_SLASH; i++; break;
    case '(': t->kind = TK_LP; i++; break;
    case ')': t->kind = TK_RP; i++; break;
    case ',': t->kind = TK_COMMA; i++; break;
    case '=': t->kind = TK_ASSIGN; i++; break;
    case ';': t->kind = TK_SEMI; i++; break;
    case '$':
        i++;
        if (i >= n || !is_name_start(s[i]))
            return fail(ps->err, i, "expected a variable name after '$'");
        while (i < n && is_name_char(s[i]))
            i++;
        t->kind = TK_VAR;
        break;
    default:
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == '.') {
            apr_status_t rv;
            while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
                i++;
            /* "1e400", "12abc", "0x1f" are one malformed number */
            if (i < n && is_name_char(s[i]))
                return fail(ps->err, t->pos, "malformed number");
            rv = shop_dec_parse_n(s + t->pos, i - t->pos, &t->num);
            if (rv == APR_ERANGE)
                return fail(ps->err, t->pos, "number out of range");
            if (rv != APR_SUCCESS)
                return fail(ps->err, t->pos, "malformed number");
            t->kind = TK_NUM;
        }
        else if (is_name_start(s[i])) {
            while (i < n && is_name_char(s[i]))
                i++;
            t->kind = TK_NAME;
        }
        else {
            apr_snprintf(msg, sizeof msg, "unexpected character %s",
                         show_byte(cb, sizeof cb, (unsigned char)s[i]));
            return fail(ps->err, i, msg);
        }
    }
    t->len = i - t->pos;
    if ((t->kind == TK_VAR || t->kind == TK_NAME)
        && t->len > SHOP_FORMULA_MAX_NAME + (t->kind == TK_VAR))
        return fail(ps->err, t->pos, "name too long");
    *at = i;
    return APR_SUCCESS;
}

static apr_status_t next(parser_t *ps)
{
    apr_size_t at = ps->tok.pos + ps->tok.len;

    apr_status_t rv;

    if (ps->tok.kind == TK_END)
        return APR_SUCCESS;
    if ((rv = lex_at(ps, &at, &ps->tok)) != APR_SUCCESS)
        return rv;
    if (ps->tok.kind != TK_END && ++ps->ntokens > SHOP_FORMULA_MAX_TOKENS)
        return fail(ps->err, ps->tok.pos, "more than 256 tokens");
    return APR_SUCCESS;
}

/* ---- code generation */

static apr_status_t emit(parser_t *ps, enum opcode code, apr_size_t pos)
{
    op_t *op;

    /* every token emits at most one op, so this only guards the invariant */
    if (ps->nops >= SHOP_FORMULA_MAX_TOKENS)
        return fail(ps->err, pos, "formula too complex");
    op = &ps->ops[ps->nops++];
    memset(op, 0, sizeof *op);
    op->code = (unsigned char)code;
    op->pos = (apr_uint32_t)pos;
    return APR_SUCCESS;
}

/* ---- parser */

static apr_status_t parse_expr(parser_t *ps, int depth);

static apr_status_t parse_call(parser_t *ps, int depth)
{
    token_t name = ps->tok;
    const char *fname = NULL;
    int i, f = -1, argc = 0;
    apr_status_t rv;
    char msg[96];

    for (i = 0; i < (int)(sizeof funcs / sizeof funcs[0]); i++)
        if (name_is(ps->src + name.pos, name.len, funcs[i].name))
            f = i;
    if (f < 0) {
        apr_snprintf(msg, sizeof msg, "unknown function '%.*s'",
                     (int)name.len, ps->src + name.pos);
        return fail(ps->err, name.pos, msg);
    }
    fname = funcs[f].name;
    if ((rv = next(ps)) != APR_SUCCESS)
        return rv;
    if (ps->tok.kind != TK_LP) {
        apr_snprintf(msg, sizeof msg, "expected '(' after '%s'", fname);
        return fail(ps->err, ps->tok.pos, msg);
    }
    for (;;) {
        if ((rv = next(ps)) != APR_SUCCESS)
            return rv;
        if (argc == funcs[f].max_args) {
            apr_snprintf(msg, sizeof msg, "%s() takes at most %d argument%s",
                         fname, funcs[f].max_args,
                         funcs[f].max_args > 1 ? "s" : "");
            return fail(ps->err, ps->tok.pos, msg);
        }
        if ((rv = parse_expr(ps, depth + 1)) != APR_SUCCESS)
            return rv;
        argc++;
        if (ps->tok.kind == TK_RP)
            break;
        if (ps->tok.kind != TK_COMMA)
            return unexpected(ps);
    }
    if (argc < funcs[f].min_args) {
        apr_snprintf(msg, sizeof msg, "%s() needs %d argument%s", fname,
                     funcs[f].min_args, funcs[f].min_args > 1 ? "s" : "");
        return fail(ps->err, name.pos, msg);
    }
    if ((rv = emit(ps, funcs[f].code, name.pos)) != APR_SUCCESS)
        return rv;
    ps->ops[ps->nops - 1].argc = (unsigned char)argc;
    return next(ps);            /* past ')' */
}

static apr_status_t parse_primary(parser_t *ps, int depth)
{
    apr_status_t rv;
    int i;
    char msg[96];

    switch (ps->tok.kind) {
    case TK_NUM:
        if ((rv = emit(ps, OP_CONST, ps->tok.pos)) != APR_SUCCESS)
            return rv;
        ps->ops[ps->nops - 1].val = ps->tok.num;
        return next(ps);
    case TK_VAR:
        for (i = 0; i < ps->nvars; i++)
            if (name_is(ps->src + ps->tok.pos + 1, ps->tok.len - 1,
                        ps->vars[i]))
                break;
        if (i == ps->nvars) {
            apr_snprintf(msg, sizeof msg, "unknown variable %.*s",
                         (int)ps->tok.len, ps->src + ps->tok.pos);
            return fail(ps->err, ps->tok.pos, msg);
        }
        if ((rv = emit(ps, OP_VAR, ps->tok.pos)) != APR_SUCCESS)
            return rv;
        ps->ops[ps->nops - 1].var = (unsigned short)i;
        ps->uses |= (apr_uint32_t)1 << i;
        return next(ps);
    case TK_NAME:
        return parse_call(ps, depth);
    case TK_LP:
        if ((rv = next(ps)) != APR_SUCCESS
            || (rv = parse_expr(ps, depth + 1)) != APR_SUCCESS)
            return rv;
        if (ps->tok.kind != TK_RP) {
            if (ps->tok.kind == TK_END)
                return fail(ps->err, ps->tok.pos, "missing ')'");
            return unexpected(ps);
        }
        return next(ps);
    default:
        return unexpected(ps);
    }
}

static apr_status_t parse_unary(parser_t *ps, int depth)
{
    apr_status_t rv;

    if (depth > SHOP_FORMULA_MAX_DEPTH)
        return fail(ps->err, ps->tok.pos, "nesting deeper than 32");
    if (ps->tok.kind == TK_MINUS || ps->tok.kind == TK_PLUS) {
        token_t op = ps->tok;
        if ((rv = next(ps)) != APR_SUCCESS
            || (rv = parse_unary(ps, depth + 1)) != APR_SUCCESS)
            return rv;
        return op.kind == TK_MINUS ? emit(ps, OP_NEG, op.pos) : APR_SUCCESS;
    }
    return parse_primary(ps, depth);
}

static int is_zero_const(const parser_t *ps)
{
    const op_t *last = &ps->ops[ps->nops - 1];
    return last->code == OP_CONST && shop_dec_is_zero(last->val);
}

static apr_status_t parse_term(parser_t *ps, int depth)
{
    apr_status_t rv;

    if ((rv = parse_unary(ps, depth)) != APR_SUCCESS)
        return rv;
    while (ps->tok.kind == TK_STAR || ps->tok.kind == TK_SLASH) {
        token_t op = ps->tok;
        if ((rv = next(ps)) != APR_SUCCESS
            || (rv = parse_unary(ps, depth)) != APR_SUCCESS)
            return rv;
        if (op.kind == TK_SLASH && is_zero_const(ps))
            return fail(ps->err, op.pos, "division by zero");
        if ((rv = emit(ps, op.kind == TK_STAR ? OP_MUL : OP_DIV, op.pos))
            != APR_SUCCESS)
            return rv;
    }
    return APR_SUCCESS;
}

static apr_status_t parse_expr(parser_t *ps, int depth)
{
    apr_status_t rv;

    if (depth > SHOP_FORMULA_MAX_DEPTH)
        return fail(ps->err, ps->tok.pos, "nesting deeper than 32");
    if ((rv = parse_term(ps, depth)) != APR_SUCCESS)
        return rv;
    while (ps->tok.kind == TK_PLUS || ps->tok.kind == TK_MINUS) {
        token_t op = ps->tok;
        if ((rv = next(ps)) != APR_SUCCESS
            || (rv = parse_term(ps, depth)) != APR_SUCCESS)
            return rv;
        if ((rv = emit(ps, op.kind == TK_PLUS ? OP_ADD : OP_SUB, op.pos))
            != APR_SUCCESS)
            return rv;
    }
    return APR_SUCCESS;
}

static int name_ok(const char *v)
{
    apr_size_t i;
    if (v == NULL || !is_name_start(v[0]))
        return 0;
    for (i = 0; v[i]; i++)
        if (!is_name_char(v[i]) || (v[i] >= 'A' && v[i] <= 'Z')
            || i >= SHOP_FORMULA_MAX_NAME)
            return 0;
    return 1;
}

apr_status_t shop_formula_compile(apr_pool_t *p, const char *src,
                                  apr_size_t len, const char *const *vars,
                                  int nvars, const char *target,
                                  shop_formula_t **out,
                                  shop_formula_error_t *err)
{
    parser_t state, *ps = &state;   /* ~6 KB: fine on any thread stack */
    shop_formula_t *f;
    apr_size_t at = 0;
    apr_status_t rv;
    int i, assigns = 0;
    char msg[96];

    if (p == NULL || src == NULL || out == NULL || nvars < 0
        || nvars > SHOP_FORMULA_MAX_VARS || (nvars > 0 && vars == NULL)
        || (target != NULL && !name_ok(target)))
        return fail(err, 0, "bad arguments");
    for (i = 0; i < nvars; i++)
        if (!name_ok(vars[i]))
            return fail(err, 0, "bad arguments");
    if (len > SHOP_FORMULA_MAX_LEN)
        return fail(err, SHOP_FORMULA_MAX_LEN, "formula longer than 1024 bytes");

    memset(ps, 0, sizeof *ps);
    ps->src = src;
    ps->len = len;
    ps->vars = vars;
    ps->nvars = nvars;
    ps->target = target;
    ps->err = err;

    if ((rv = lex_at(ps, &at, &ps->tok)) != APR_SUCCESS)
        return rv;
    ps->ntokens = 1;
    if (ps->tok.kind == TK_END)
        return fail(err, ps->tok.pos, "empty formula");

    if (ps->tok.kind == TK_VAR) {
        token_t after;
        apr_size_t at2 = ps->tok.pos + ps->tok.len;
        if ((rv = lex_at(ps, &at2, &after)) != APR_SUCCESS)
            return rv;
        if (after.kind == TK_ASSIGN) {
            if (target == NULL)
                return fail(err, ps->tok.pos, "assignment not allowed");
            if (!name_is(src + ps->tok.pos + 1, ps->tok.len - 1, target)) {
                apr_snprintf(msg, sizeof msg,
                             "only $%s can be assigned, not %.*s", target,
                             (int)(ps->tok.len > 33 ? 33 : ps->tok.len),
                             src + ps->tok.pos);
                return fail(err, ps->tok.pos, msg);
            }
            assigns = 1;
            if ((rv = next(ps)) != APR_SUCCESS       /* at '=' */
                || (rv = next(ps)) != APR_SUCCESS)   /* past it */
                return rv;
            if (ps->tok.kind == TK_END || ps->tok.kind == TK_SEMI)
                return fail(err, ps->tok.pos, "expected an expression");
        }
    }

    if ((rv = parse_expr(ps, 0)) != APR_SUCCESS)
        return rv;
    if (ps->tok.kind == TK_SEMI && (rv = next(ps)) != APR_SUCCESS)
        return rv;
    if (ps->tok.kind != TK_END)
        return unexpected(ps);

    f = apr_palloc(p, sizeof *f);
    f->ops = apr_pmemdup(p, ps->ops, (apr_size_t)ps->nops * sizeof(op_t));
    f->nops = ps->nops;
    f->nvars = nvars;
    f->assigns = assigns;
    f->uses = ps->uses;
    *out = f;
    return APR_SUCCESS;
}

/* ---- evaluation */

static apr_status_t eval_fail(shop_formula_error_t *err, apr_status_t rv,
                              const op_t *op)
{
    const char *what = rv == APR_ERANGE ? "overflow"
                       : op->code == OP_DIV ? "division by zero"
                       : op->code == OP_ROUND
                           ? "round() digits must be an integer from 0 to 18"
                       : "invalid operation";
    fail(err, op->pos, what);
    return rv == APR_ERANGE ? APR_ERANGE : APR_EINVAL;
}

apr_status_t shop_formula_eval(const shop_formula_t *f,
                               const shop_dec_t *values, int nvalues,
                               shop_dec_t *result, shop_formula_error_t *err)
{
    shop_dec_t st[SHOP_FORMULA_MAX_TOKENS];
    int sp = 0, i, k;
    apr_status_t rv = APR_SUCCESS;

    if (f == NULL || result == NULL || nvalues < f->nvars
        || (f->nvars > 0 && values == NULL))
        return fail(err, 0, "bad arguments");
    for (i = 0; i < f->nops; i++) {
        const op_t *op = &f->ops[i];
        shop_dec_t *a, *b;

        switch (op->code) {
        case OP_CONST:
            st[sp++] = op->val;
            break;
        case OP_VAR:
            st[sp++] = values[op->var];
            break;
        case OP_NEG:
            st[sp - 1] = shop_dec_neg(st[sp - 1]);
            break;
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
            a = &st[sp - 2];
            b = &st[sp - 1];
            rv = op->code == OP_ADD ? shop_dec_add(*a, *b, a)
                 : op->code == OP_SUB ? shop_dec_sub(*a, *b, a)
                 : op->code == OP_MUL ? shop_dec_mul(*a, *b, a)
                 : shop_dec_div(*a, *b, a);
            sp--;
            break;
        case OP_MIN: case OP_MAX:
            a = &st[sp - op->argc];
            for (k = 1; k < op->argc; k++) {
                int c = shop_dec_cmp(a[k], *a);
                if (op->code == OP_MIN ? c < 0 : c > 0)
                    *a = a[k];
            }
            sp -= op->argc - 1;
            break;
        case OP_ROUND: {
            apr_int64_t digits = 0;
            if (op->argc == 2) {
                b = &st[--sp];
                if (!shop_dec_is_int(*b)
                    || shop_dec_to_minor(*b, 0, &digits) != APR_SUCCESS
                    || digits < 0 || digits > SHOP_DEC_FRAC_DIGITS)
                    return eval_fail(err, APR_EINVAL, op);
            }
            rv = shop_dec_round(st[sp - 1], (int)digits, &st[sp - 1]);
            break;
        }
        case OP_FLOOR:
            rv = shop_dec_floor(st[sp - 1], &st[sp - 1]);
            break;
        case OP_CEIL:
            rv = shop_dec_ceil(st[sp - 1], &st[sp - 1]);
            break;
        case OP_ABS:
            st[sp - 1] = shop_dec_abs(st[sp - 1]);
            break;
        default:
            return eval_fail(err, APR_EINVAL, op);
        }
        if (rv != APR_SUCCESS)
            return eval_fail(err, rv, op);
    }
    if (sp != 1)                /* cannot happen for a compiled program */
        return fail(err, 0, "invalid program");
    *result = st[0];
    return APR_SUCCESS;
}

int shop_formula_assigns(const shop_formula_t *f)
{
    return f != NULL && f->assigns;
}

int shop_formula_uses(const shop_formula_t *f, int i)
{
    return f != NULL && i >= 0 && i < f->nvars && (f->uses >> i) & 1;
}
