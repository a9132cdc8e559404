package org.mm1lab.api;

import static java.lang.annotation.ElementType.CONSTRUCTOR;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PACKAGE;
import static java.lang.annotation.ElementType.TYPE;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a part of the plugin API that is still young and may change incompatibly, or go, in a minor
 * version ({@code 1.x} to {@code 1.y}), not only in the next major one.
 *
 * <p>Everything not marked follows the version rule of {@link Mm1Api#VERSION}: a plugin built
 * against {@code 1.x} runs unchanged on any host of API {@code 1.y} with {@code y >= x}, and the
 * build checks every change to the API against the last released one to keep that promise. A plugin
 * may use marked API as well, but should expect to be rebuilt, and perhaps adjusted, when the
 * host's minor version moves; the compatibility check leaves marked parts out. Once a part has
 * proved itself, the mark is removed and the part is stable from then on.
 *
 * <p>Retained in class files, so that tools reading a jar (the compatibility check among them) see
 * it; on a record component it marks the component's field and accessor.
 *
 * @since 1.0
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({TYPE, METHOD, CONSTRUCTOR, FIELD, PACKAGE})
public @interface Experimental {}
