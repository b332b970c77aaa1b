/** Runnable examples and the cairn command line, built only on the public API. */
package dev.cairn.examples;
