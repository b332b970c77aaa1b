/** Supervision: OTP-strength supervisors and failure rules on Pekko Typed. */
package dev.cairn.supervision;
