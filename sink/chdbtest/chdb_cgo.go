//go:build cgo && linux

package chdbtest

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

typedef void **(*chdb_connect_fn)(int, char **);
typedef void *(*chdb_query_fn)(void *, const char *, const char *);
typedef const char *(*chdb_result_error_fn)(void *);
typedef char *(*chdb_result_buffer_fn)(void *);
typedef size_t (*chdb_result_length_fn)(void *);
typedef void (*chdb_destroy_query_result_fn)(void *);
typedef void (*chdb_set_signal_handlers_enabled_fn)(int);

static chdb_connect_fn p_connect;
static chdb_query_fn p_query;
static chdb_result_error_fn p_error;
static chdb_result_buffer_fn p_buffer;
static chdb_result_length_fn p_length;
static chdb_destroy_query_result_fn p_destroy;

// vigie_chdb_load resolves the few functions used here; it returns NULL or
// the reason it failed.
static const char *vigie_chdb_load(const char *path) {
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) return dlerror();
	p_connect = (chdb_connect_fn)dlsym(h, "chdb_connect");
	p_query = (chdb_query_fn)dlsym(h, "chdb_query");
	p_error = (chdb_result_error_fn)dlsym(h, "chdb_result_error");
	p_buffer = (chdb_result_buffer_fn)dlsym(h, "chdb_result_buffer");
	p_length = (chdb_result_length_fn)dlsym(h, "chdb_result_length");
	p_destroy = (chdb_destroy_query_result_fn)dlsym(h, "chdb_destroy_query_result");
	if (!p_connect || !p_query || !p_error || !p_buffer || !p_length || !p_destroy)
		return "libchdb lacks the chdb_connect/chdb_query API";
	// The Go runtime owns the process's signals (it turns SIGSEGV into
	// panics, uses SIGURG for preemption): keep ClickHouse's handlers out.
	chdb_set_signal_handlers_enabled_fn sig =
		(chdb_set_signal_handlers_enabled_fn)dlsym(h, "chdb_set_signal_handlers_enabled");
	if (sig) sig(0);
	return NULL;
}

static void *vigie_chdb_connect(int argc, char **argv) { return (void *)p_connect(argc, argv); }

// vigie_chdb_query runs query and hands back the output or the error, both
// malloc'ed for the caller to free.
static void vigie_chdb_query(void *connp, const char *query, const char *format,
                             char **out, size_t *out_len, char **err) {
	void **conn = (void **)connp;
	*out = NULL; *out_len = 0; *err = NULL;
	void *res = p_query(*conn, query, format);
	if (!res) { *err = strdup("chdb_query returned no result"); return; }
	const char *e = p_error(res);
	if (e) {
		*err = strdup(e);
	} else {
		size_t n = p_length(res);
		*out = malloc(n + 1);
		if (n) memcpy(*out, p_buffer(res), n);
		(*out)[n] = 0;
		*out_len = n;
	}
	p_destroy(res);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"
)

// DB is a chDB engine connection. Query is safe for concurrent use
// (queries are serialised).
type DB struct {
	mu sync.Mutex
	// conn is the chdb_connection * that chdb_connect returned (C memory).
	conn unsafe.Pointer
}

func open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("no library path")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	if msg := C.vigie_chdb_load(cpath); msg != nil {
		return nil, fmt.Errorf("loading %s: %s", path, C.GoString(msg))
	}
	// The C API has no in-memory mode (":memory:" would be a directory in
	// the working directory): the engine gets a directory of its own, which
	// lives as long as the process. Test databases are dropped by the tests,
	// and leftovers of earlier processes are removed here.
	dir, err := engineDir()
	if err != nil {
		return nil, err
	}
	args := []*C.char{C.CString("chdb"), C.CString("--path=" + dir)}
	defer func() {
		for _, a := range args {
			C.free(unsafe.Pointer(a))
		}
	}()
	conn := C.vigie_chdb_connect(C.int(len(args)), (**C.char)(unsafe.Pointer(&args[0])))
	if conn == nil {
		return nil, fmt.Errorf("chdb_connect failed")
	}
	return &DB{conn: conn}, nil
}

// Query runs one statement and returns its output in format (for example
// "TabSeparated" or "JSONEachRow"), or the engine's error message.
func (db *DB) Query(query, format string) (string, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	cq, cf := C.CString(query), C.CString(format)
	defer C.free(unsafe.Pointer(cq))
	defer C.free(unsafe.Pointer(cf))
	var out, cerr *C.char
	var n C.size_t
	C.vigie_chdb_query(db.conn, cq, cf, &out, &n, &cerr)
	if cerr != nil {
		defer C.free(unsafe.Pointer(cerr))
		return "", errors.New(C.GoString(cerr))
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoStringN(out, C.int(n)), nil
}
