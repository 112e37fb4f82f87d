package dev.braid.common.problem;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A failure a client caused or must know about, with the status and the stable problem type it
 * maps to. Services subclass it with static factories ({@code DatasetNotFound.forId(id)}); the
 * service's one {@code @RestControllerAdvice} turns it into an RFC 9457 problem response.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;

    protected ApiException(HttpStatus status, String type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    public HttpStatus status() {
        return status;
    }

    /** The problem type's short name, the last segment of its URI. */
    public String type() {
        return type;
    }

    /** Seconds a client should wait before retrying, for 429 and 503; {@code 0} when not applicable. */
    public long retryAfterSeconds() {
        return 0;
    }

    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(ProblemTypes.uri(type));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", what + " " + id + " does not exist");
    }

    public static ApiException unprocessable(String type, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, type, detail);
    }

    public static ApiException conflict(String type, String detail) {
        return new ApiException(HttpStatus.CONFLICT, type, detail);
    }

    public static ApiException badRequest(String type, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, type, detail);
    }

    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    public static URI typeUri(String type) {
        return ProblemTypes.uri(type);
    }
}
