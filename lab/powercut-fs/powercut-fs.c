/*
 * powercut-fs: a FUSE file system that forgets what was not synced, for power-cut tests (the idea of
 * LazyFS, which Jepsen and etcd use). Model and limits: docs/testing.md, "Power cuts".
 *
 * Everything lives in memory. Each file has its current content (what reads see) and its durable content
 * (what survives a power cut); fsync/fdatasync of the file copies the current content to the durable one.
 * Each directory has its current entries and its durable entries; fsync of the directory copies them.
 * A power cut replaces every current state by the durable one: unsynced writes, and creations, renames
 * and unlinks in a directory that was not fsync'd since, are gone.
 *
 * Control file: MOUNTPOINT/.powercut (not listed). Reading it gives a JSON line of what is pending; writing
 * "cut" drops every unsynced state, "sync" makes all of it durable (an installation step, before the test).
 *
 * Usage: powercut-fs MOUNTPOINT [fuse options]   (runs in the foreground; SIGTERM unmounts)
 */
#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CONTROL "/.powercut"
#define STATUS_MAX 65536

struct inode;
struct entry {
  char *name;
  struct inode *node;
};
struct entries {
  struct entry *items;
  size_t count, cap;
};

struct inode {
  unsigned long id;
  mode_t mode;
  uid_t uid;
  gid_t gid;
  struct timespec mtime, ctime;
  int is_dir;
  /* files: current and durable content; the range written since the last sync */
  char *data, *durable;
  size_t size, cap, durable_size, durable_cap;
  size_t dirty_lo, dirty_hi;
  int dirty;
  /* directories: current and durable entries */
  struct entries cur, dur;
  int dir_dirty;
  struct inode *next_all;
};

static struct inode *all_nodes;
static struct inode *root;
static unsigned long next_id = 1;
static unsigned long cuts;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) {
    perror("powercut-fs: out of memory");
    abort();
  }
  return q;
}

static struct inode *new_node(mode_t mode, uid_t uid, gid_t gid) {
  struct inode *n = xrealloc(NULL, sizeof *n);
  memset(n, 0, sizeof *n);
  n->id = next_id++;
  n->mode = mode;
  n->is_dir = S_ISDIR(mode);
  n->uid = uid;
  n->gid = gid;
  clock_gettime(CLOCK_REALTIME, &n->mtime);
  n->ctime = n->mtime;
  n->next_all = all_nodes;
  all_nodes = n;
  return n;
}

static void touch(struct inode *n) {
  clock_gettime(CLOCK_REALTIME, &n->mtime);
  n->ctime = n->mtime;
}

/* ---- directory entries ---- */

static struct entry *find_entry(struct entries *e, const char *name) {
  for (size_t i = 0; i < e->count; i++)
    if (strcmp(e->items[i].name, name) == 0) return &e->items[i];
  return NULL;
}

static void add_entry(struct entries *e, const char *name, struct inode *node) {
  if (e->count == e->cap) {
    e->cap = e->cap ? e->cap * 2 : 8;
    e->items = xrealloc(e->items, e->cap * sizeof *e->items);
  }
  e->items[e->count].name = strdup(name);
  e->items[e->count].node = node;
  e->count++;
}

static void remove_entry(struct entries *e, const char *name) {
  struct entry *it = find_entry(e, name);
  if (!it) return;
  free(it->name);
  *it = e->items[--e->count];
}

static void copy_entries(struct entries *to, const struct entries *from) {
  for (size_t i = 0; i < to->count; i++) free(to->items[i].name);
  to->count = 0;
  for (size_t i = 0; i < from->count; i++) add_entry(to, from->items[i].name, from->items[i].node);
}

/* ---- paths ---- */

/* The node at `path`, or NULL; with `parent`/`leaf`, the parent directory and the last name. */
static struct inode *resolve(const char *path, struct inode **parent, const char **leaf) {
  struct inode *n = root, *p = NULL;
  const char *s = path, *last = "";
  char name[256];
  if (parent) *parent = NULL; /* also when a directory on the way is missing */
  if (leaf) *leaf = "";
  while (*s == '/') s++;
  while (*s) {
    const char *end = strchr(s, '/');
    size_t len = end ? (size_t)(end - s) : strlen(s);
    if (len >= sizeof name) return NULL;
    memcpy(name, s, len);
    name[len] = 0;
    last = s;
    p = n;
    if (!n || !n->is_dir) {
      n = NULL;
    } else {
      struct entry *e = find_entry(&n->cur, name);
      n = e ? e->node : NULL;
    }
    s += len;
    while (*s == '/') s++;
    if (*s && !n) return NULL; /* a missing directory in the middle */
  }
  if (parent) *parent = p;
  if (leaf) *leaf = last;
  return n;
}

/* Control-file handles are marked by this tag in fh's low bit (inodes are aligned). */
struct control {
  char *text;
};
#define IS_CONTROL(fi) ((fi)->fh & 1)
#define CONTROL_OF(fi) ((struct control *)(uintptr_t)((fi)->fh & ~(uint64_t)1))

static struct inode *node_of(const char *path, struct fuse_file_info *fi) {
  if (fi && IS_CONTROL(fi)) return NULL;
  if (fi && fi->fh) return (struct inode *)(uintptr_t)fi->fh;
  return path ? resolve(path, NULL, NULL) : NULL;
}

/* ---- file content ---- */

static void reserve(char **buf, size_t *cap, size_t need) {
  if (need <= *cap) return;
  size_t c = *cap ? *cap : 4096;
  while (c < need) c *= 2;
  *buf = xrealloc(*buf, c);
  *cap = c;
}

static void mark_dirty(struct inode *n, size_t lo, size_t hi) {
  if (lo >= hi) return;
  if (!n->dirty) {
    n->dirty_lo = lo;
    n->dirty_hi = hi;
  } else {
    if (lo < n->dirty_lo) n->dirty_lo = lo;
    if (hi > n->dirty_hi) n->dirty_hi = hi;
  }
  n->dirty = 1;
}

static void set_size(struct inode *n, size_t size) {
  if (size == n->size) return;
  reserve(&n->data, &n->cap, size);
  if (size > n->size) {
    memset(n->data + n->size, 0, size - n->size);
    mark_dirty(n, n->size, size);
  } else {
    mark_dirty(n, size, n->size);
  }
  n->size = size;
}

static void sync_file(struct inode *n) {
  if (!n->dirty) return;
  reserve(&n->durable, &n->durable_cap, n->size);
  if (n->size > n->durable_size) memset(n->durable + n->durable_size, 0, n->size - n->durable_size);
  size_t hi = n->dirty_hi < n->size ? n->dirty_hi : n->size;
  if (n->dirty_lo < hi) memcpy(n->durable + n->dirty_lo, n->data + n->dirty_lo, hi - n->dirty_lo);
  n->durable_size = n->size;
  n->dirty = 0;
}

static void sync_dir(struct inode *n) {
  if (!n->dir_dirty) return;
  copy_entries(&n->dur, &n->cur);
  n->dir_dirty = 0;
}

/* ---- control: status, cut, sync ---- */

static int pending_paths(struct inode *dir, char *prefix, size_t plen, char *out, size_t *len, size_t max,
                         int depth) {
  int count = 0;
  if (depth > 64) return 0;
  for (size_t i = 0; i < dir->cur.count; i++) {
    struct entry *e = &dir->cur.items[i];
    size_t nlen = strlen(e->name);
    if (plen + nlen + 2 >= 4096) continue;
    prefix[plen] = '/';
    memcpy(prefix + plen + 1, e->name, nlen + 1);
    if ((e->node->is_dir && e->node->dir_dirty) || (!e->node->is_dir && e->node->dirty)) {
      count++;
      if (*len + plen + nlen + 8 < max)
        *len += (size_t)snprintf(out + *len, max - *len, "%s\"%s%s\"", *len && out[*len - 1] != '[' ? "," : "",
                                 prefix, e->node->is_dir ? "/" : "");
    }
    if (e->node->is_dir) count += pending_paths(e->node, prefix, plen + 1 + nlen, out, len, max, depth + 1);
    prefix[plen] = 0;
  }
  return count;
}

static char *status_json(void) {
  char *out = xrealloc(NULL, STATUS_MAX);
  char prefix[4096] = "";
  size_t len = (size_t)snprintf(out, STATUS_MAX, "{\"cuts\":%lu,\"pending\":[", cuts);
  if (root->dir_dirty) len += (size_t)snprintf(out + len, STATUS_MAX - len, "\"/\"");
  int count = pending_paths(root, prefix, 0, out, &len, STATUS_MAX - 64, 0) + (root->dir_dirty ? 1 : 0);
  snprintf(out + len, STATUS_MAX - len, "],\"pendingCount\":%d}\n", count);
  return out;
}

static void cut_power(void) {
  for (struct inode *n = all_nodes; n; n = n->next_all) {
    if (n->is_dir) {
      copy_entries(&n->cur, &n->dur);
      n->dir_dirty = 0;
    } else {
      reserve(&n->data, &n->cap, n->durable_size);
      if (n->durable_size) memcpy(n->data, n->durable, n->durable_size);
      n->size = n->durable_size;
      n->dirty = 0;
    }
  }
  cuts++;
}

static void sync_all(void) {
  for (struct inode *n = all_nodes; n; n = n->next_all) {
    if (n->is_dir)
      sync_dir(n);
    else
      sync_file(n);
  }
}


/* ---- operations ---- */

static void fill_stat(struct inode *n, struct stat *st) {
  memset(st, 0, sizeof *st);
  st->st_ino = n->id;
  st->st_mode = n->mode;
  st->st_nlink = n->is_dir ? 2 : 1;
  st->st_uid = n->uid;
  st->st_gid = n->gid;
  st->st_size = n->is_dir ? 4096 : (off_t)n->size;
  st->st_blksize = 4096;
  st->st_blocks = (st->st_size + 511) / 512;
  st->st_mtim = n->mtime;
  st->st_ctim = n->ctime;
  st->st_atim = n->mtime;
}

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
  if (fi && IS_CONTROL(fi)) path = CONTROL;
  if (path && strcmp(path, CONTROL) == 0) {
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFREG | 0600;
    st->st_nlink = 1;
    return 0;
  }
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  fill_stat(n, st);
  return 0;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
  (void)off;
  (void)flags;
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  if (!n->is_dir) return -ENOTDIR;
  fill(buf, ".", NULL, 0, 0);
  fill(buf, "..", NULL, 0, 0);
  for (size_t i = 0; i < n->cur.count; i++) fill(buf, n->cur.items[i].name, NULL, 0, 0);
  return 0;
}

static int op_opendir(const char *path, struct fuse_file_info *fi) {
  struct inode *n = resolve(path, NULL, NULL);
  if (!n) return -ENOENT;
  if (!n->is_dir) return -ENOTDIR;
  fi->fh = (uint64_t)(uintptr_t)n;
  return 0;
}

static int op_releasedir(const char *path, struct fuse_file_info *fi) {
  (void)path;
  (void)fi;
  return 0;
}

static int op_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)datasync;
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  sync_dir(n);
  return 0;
}

static int make_node(const char *path, mode_t mode, struct inode **out) {
  struct inode *parent;
  const char *leaf;
  if (resolve(path, &parent, &leaf)) return -EEXIST;
  if (!parent || !parent->is_dir) return -ENOENT;
  if (strcmp(path, CONTROL) == 0) return -EEXIST;
  struct fuse_context *ctx = fuse_get_context();
  struct inode *n = new_node(mode, ctx->uid, ctx->gid);
  add_entry(&parent->cur, leaf, n);
  parent->dir_dirty = 1;
  touch(parent);
  *out = n;
  return 0;
}

static int op_mkdir(const char *path, mode_t mode) {
  struct inode *n;
  return make_node(path, S_IFDIR | (mode & 07777), &n);
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
  struct inode *n;
  int r = make_node(path, S_IFREG | (mode & 07777), &n);
  if (r == 0) fi->fh = (uint64_t)(uintptr_t)n;
  return r;
}

static int op_mknod(const char *path, mode_t mode, dev_t dev) {
  (void)dev;
  if (!S_ISREG(mode)) return -EPERM; /* only regular files and directories are modelled */
  struct inode *n;
  return make_node(path, mode, &n);
}

static int op_unlink(const char *path) {
  struct inode *parent;
  const char *leaf;
  struct inode *n = resolve(path, &parent, &leaf);
  if (!n) return -ENOENT;
  if (n->is_dir) return -EISDIR;
  remove_entry(&parent->cur, leaf);
  parent->dir_dirty = 1;
  touch(parent);
  return 0;
}

static int op_rmdir(const char *path) {
  struct inode *parent;
  const char *leaf;
  struct inode *n = resolve(path, &parent, &leaf);
  if (!n) return -ENOENT;
  if (!n->is_dir) return -ENOTDIR;
  if (n->cur.count) return -ENOTEMPTY;
  if (!parent) return -EBUSY;
  remove_entry(&parent->cur, leaf);
  parent->dir_dirty = 1;
  touch(parent);
  return 0;
}

static int op_rename(const char *from, const char *to, unsigned int flags) {
  if (flags) return -EINVAL; /* RENAME_EXCHANGE / NOREPLACE: not modelled */
  struct inode *fparent, *tparent;
  const char *fleaf, *tleaf;
  struct inode *n = resolve(from, &fparent, &fleaf);
  if (!n || !fparent) return -ENOENT;
  struct inode *old = resolve(to, &tparent, &tleaf);
  if (!tparent || !tparent->is_dir) return -ENOENT;
  if (old == n) return 0;
  if (old) {
    if (old->is_dir && !n->is_dir) return -EISDIR;
    if (!old->is_dir && n->is_dir) return -ENOTDIR;
    if (old->is_dir && old->cur.count) return -ENOTEMPTY;
    remove_entry(&tparent->cur, tleaf);
  }
  char *name = strdup(tleaf);
  remove_entry(&fparent->cur, fleaf);
  add_entry(&tparent->cur, name, n);
  free(name);
  fparent->dir_dirty = tparent->dir_dirty = 1;
  touch(fparent);
  touch(tparent);
  return 0;
}

static int op_link(const char *from, const char *to) {
  (void)from;
  (void)to;
  return -EPERM; /* hard links are not modelled */
}

static int op_symlink(const char *from, const char *to) {
  (void)from;
  (void)to;
  return -EPERM; /* symbolic links are not modelled */
}

static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  n->mode = (n->mode & S_IFMT) | (mode & 07777);
  return 0;
}

static int op_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  if (uid != (uid_t)-1) n->uid = uid;
  if (gid != (gid_t)-1) n->gid = gid;
  return 0;
}

static int op_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  if (tv && tv[1].tv_nsec != UTIME_OMIT) {
    if (tv[1].tv_nsec == UTIME_NOW)
      clock_gettime(CLOCK_REALTIME, &n->mtime);
    else
      n->mtime = tv[1];
  }
  return 0;
}

static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
  if (path && strcmp(path, CONTROL) == 0) return 0;
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  if (n->is_dir) return -EISDIR;
  set_size(n, (size_t)size);
  touch(n);
  return 0;
}

static int op_open(const char *path, struct fuse_file_info *fi) {
  if (strcmp(path, CONTROL) == 0) {
    struct control *c = xrealloc(NULL, sizeof *c);
    c->text = status_json();
    fi->fh = (uint64_t)(uintptr_t)c | 1;
    fi->direct_io = 1;
    return 0;
  }
  struct inode *n = resolve(path, NULL, NULL);
  if (!n) return -ENOENT;
  if (n->is_dir) return -EISDIR;
  if (fi->flags & O_TRUNC) set_size(n, 0);
  fi->fh = (uint64_t)(uintptr_t)n;
  fi->keep_cache = 0; /* a reopened file is read from here again, never from a page cache that a cut made stale */
  return 0;
}

static int op_release(const char *path, struct fuse_file_info *fi) {
  (void)path;
  if (IS_CONTROL(fi)) {
    struct control *c = CONTROL_OF(fi);
    free(c->text);
    free(c);
  }
  return 0;
}

static int op_read(const char *path, char *buf, size_t len, off_t off, struct fuse_file_info *fi) {
  (void)path;
  if (IS_CONTROL(fi)) {
    const char *text = CONTROL_OF(fi)->text;
    size_t size = strlen(text);
    if ((size_t)off >= size) return 0;
    if (len > size - (size_t)off) len = size - (size_t)off;
    memcpy(buf, text + off, len);
    return (int)len;
  }
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  if ((size_t)off >= n->size) return 0;
  if (len > n->size - (size_t)off) len = n->size - (size_t)off;
  memcpy(buf, n->data + off, len);
  return (int)len;
}

static int op_write(const char *path, const char *buf, size_t len, off_t off, struct fuse_file_info *fi) {
  (void)path;
  if (IS_CONTROL(fi)) {
    if (len >= 3 && strncmp(buf, "cut", 3) == 0)
      cut_power();
    else if (len >= 4 && strncmp(buf, "sync", 4) == 0)
      sync_all();
    else
      return -EINVAL;
    return (int)len;
  }
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  size_t end = (size_t)off + len;
  if (end > n->size) set_size(n, end);
  memcpy(n->data + off, buf, len);
  mark_dirty(n, (size_t)off, end);
  touch(n);
  return (int)len;
}

static int op_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)datasync; /* fdatasync keeps the same: the content and the size */
  if (IS_CONTROL(fi)) return 0;
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  sync_file(n);
  return 0;
}

static int op_flush(const char *path, struct fuse_file_info *fi) {
  (void)path;
  (void)fi;
  return 0;
}

static int op_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi) {
  if (mode) return -EOPNOTSUPP;
  struct inode *n = node_of(path, fi);
  if (!n) return -ENOENT;
  if ((size_t)(off + len) > n->size) set_size(n, (size_t)(off + len));
  return 0;
}

static int op_statfs(const char *path, struct statvfs *st) {
  (void)path;
  memset(st, 0, sizeof *st);
  st->f_bsize = st->f_frsize = 4096;
  st->f_blocks = st->f_bfree = st->f_bavail = 1 << 20;
  st->f_files = st->f_ffree = 1 << 20;
  st->f_namemax = 255;
  return 0;
}

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
  (void)conn;
  /* No kernel caching of names or attributes: after a cut, every lookup asks here again. */
  cfg->entry_timeout = 0;
  cfg->attr_timeout = 0;
  cfg->negative_timeout = 0;
  cfg->hard_remove = 1; /* an unlinked open file keeps its handle, no .fuse_hidden file */
  cfg->nullpath_ok = 1;
  cfg->use_ino = 1;
  cfg->kernel_cache = 0;
  cfg->auto_cache = 0;
  return NULL;
}

static const struct fuse_operations ops = {
    .init = op_init,
    .getattr = op_getattr,
    .readdir = op_readdir,
    .opendir = op_opendir,
    .releasedir = op_releasedir,
    .fsyncdir = op_fsyncdir,
    .mkdir = op_mkdir,
    .mknod = op_mknod,
    .create = op_create,
    .unlink = op_unlink,
    .rmdir = op_rmdir,
    .rename = op_rename,
    .link = op_link,
    .symlink = op_symlink,
    .chmod = op_chmod,
    .chown = op_chown,
    .utimens = op_utimens,
    .truncate = op_truncate,
    .open = op_open,
    .release = op_release,
    .read = op_read,
    .write = op_write,
    .fsync = op_fsync,
    .flush = op_flush,
    .fallocate = op_fallocate,
    .statfs = op_statfs,
};

int main(int argc, char *argv[]) {
  root = new_node(S_IFDIR | 0755, getuid(), getgid());
  /* foreground, single-threaded (the model has no locks), then the caller's arguments */
  char **args = xrealloc(NULL, (size_t)(argc + 3) * sizeof *args);
  int n = 0;
  args[n++] = argv[0];
  args[n++] = "-f";
  args[n++] = "-s";
  for (int i = 1; i < argc; i++) args[n++] = argv[i];
  args[n] = NULL;
  return fuse_main(n, args, &ops, NULL);
}
