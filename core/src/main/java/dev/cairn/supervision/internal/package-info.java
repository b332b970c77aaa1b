/** Implementation of {@code dev.cairn.supervision}. Not API: may change in any release; do not use directly. */
package dev.cairn.supervision.internal;
