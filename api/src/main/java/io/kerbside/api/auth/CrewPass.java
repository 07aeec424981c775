package io.kerbside.api.auth;

import io.kerbside.core.CouncilRef;
import java.time.Instant;

/**
 * What a crew's signed link carries, once its signature and expiry have been checked.
 *
 * @param council the council whose alerts the crew may act on
 * @param crew the crew's name, as recorded in the alerts' history ({@code crew:<name>})
 * @param expiresAt the instant after which the link is refused
 */
public record CrewPass(CouncilRef council, String crew, Instant expiresAt) {}
