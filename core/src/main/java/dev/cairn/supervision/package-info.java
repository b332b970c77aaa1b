/**
 * Supervision: OTP-strength supervisors and failure rules on Pekko Typed.
 *
 * <ul>
 *   <li>{@link dev.cairn.supervision.FailurePolicy} and {@link dev.cairn.supervision.Directive}: flat, ordered failure
 *       rules for any behavior (first matching exception type wins).</li>
 *   <li>{@link dev.cairn.supervision.Supervisor}, {@link dev.cairn.supervision.SupervisorSpec},
 *       {@link dev.cairn.supervision.ChildSpec}: supervisors with ONE_FOR_ONE / ONE_FOR_ALL / REST_FOR_ONE, restart
 *       intensity, escalation, ordered start and reverse-order stop, dynamic children, hang detection, and reaching
 *       children by id.</li>
 *   <li>{@link dev.cairn.supervision.SupervisionEvent}, {@link dev.cairn.supervision.FailureRecord},
 *       {@link dev.cairn.supervision.SupervisionListener}: what supervisors report.</li>
 * </ul>
 *
 * See {@code docs/supervision.md}. Classes in {@code dev.cairn.supervision.internal} are not API.
 */
package dev.cairn.supervision;
