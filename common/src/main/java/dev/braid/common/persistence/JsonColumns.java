package dev.braid.common.persistence;

import java.lang.reflect.Type;

import org.hibernate.type.format.AbstractJsonFormatMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hibernate's {@code json}/{@code jsonb} columns through Jackson 3, the services' JSON library; Hibernate's own
 * mapper needs Jackson 2, which no service has. A typed record (a job's metrics) is stored as the same JSON the API
 * returns.
 */
public final class JsonColumns extends AbstractJsonFormatMapper {

    private final JsonMapper mapper;

    public JsonColumns(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected <T> T fromString(CharSequence json, Type type) {
        return mapper.readValue(json.toString(), mapper.constructType(type));
    }

    @Override
    protected <T> String toString(T value, Type type) {
        return mapper.writerFor(mapper.constructType(type)).writeValueAsString(value);
    }
}
