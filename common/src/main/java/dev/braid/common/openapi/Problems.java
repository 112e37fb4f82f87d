package dev.braid.common.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error statuses a handler itself can answer with, each documented as an
 * {@code application/problem+json} response. 401, 429 and 503, which the gateway or any service
 * may answer to any call, are added to every operation without being listed here.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Problems {

    int[] value();
}
