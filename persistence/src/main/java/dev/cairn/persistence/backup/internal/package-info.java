/**
 * INTERNAL API of backup and restore: the archive format, its untrusted-input checks and the
 * bridge to Cairn's LevelDB storage layer. It may change in any release; do not use it.
 */
package dev.cairn.persistence.backup.internal;
