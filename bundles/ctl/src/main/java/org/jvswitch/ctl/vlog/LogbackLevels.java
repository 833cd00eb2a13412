package org.jvswitch.ctl.vlog;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jvswitch.api.unixctl.UnixctlException;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logger levels of the logging backend, read and changed through reflection. Logback sits on the
 * launcher's classpath and only the org.slf4j packages are exported to bundles, so its classes are
 * reached through the objects SLF4J hands out ({@code LoggerContext}, logback {@code Logger}) and the
 * class loader that loaded them. Any other backend gets a clear error instead of a silent no-op.
 */
public final class LogbackLevels {
    private static final String LOGGER_CONTEXT = "ch.qos.logback.classic.LoggerContext";
    private static final String LEVEL = "ch.qos.logback.classic.Level";

    private final ILoggerFactory factory;
    private final Method getLoggerList;
    private final Method getLevel;
    private final Method getEffectiveLevel;
    private final Method setLevel;
    private final Method toLevel;

    private LogbackLevels(ILoggerFactory factory) throws ReflectiveOperationException {
        this.factory = factory;
        Class<?> contextClass = factory.getClass();
        this.getLoggerList = contextClass.getMethod("getLoggerList");
        Class<?> loggerClass = factory.getLogger(Logger.ROOT_LOGGER_NAME).getClass();
        Class<?> levelClass = Class.forName(LEVEL, false, contextClass.getClassLoader());
        this.getLevel = loggerClass.getMethod("getLevel");
        this.getEffectiveLevel = loggerClass.getMethod("getEffectiveLevel");
        this.setLevel = loggerClass.getMethod("setLevel", levelClass);
        this.toLevel = levelClass.getMethod("toLevel", String.class);
    }

    /** The levels of the backend SLF4J is bound to right now. */
    public static LogbackLevels current() throws UnixctlException {
        return of(LoggerFactory.getILoggerFactory());
    }

    public static LogbackLevels of(ILoggerFactory factory) throws UnixctlException {
        if (!LOGGER_CONTEXT.equals(factory.getClass().getName())) {
            throw notLogback(factory);
        }
        try {
            return new LogbackLevels(factory);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw notLogback(factory);
        }
    }

    /** Names of every logger the backend knows, including ROOT and the package-level parents. */
    public List<String> loggerNames() throws UnixctlException {
        List<String> names = new ArrayList<>();
        for (Object logger : (List<?>) call(getLoggerList, factory)) {
            names.add(((Logger) logger).getName());
        }
        return names;
    }

    /** The level in force for {@code name} (inherited if not set), as logback names it. */
    public String effectiveLevel(String name) throws UnixctlException {
        return String.valueOf(call(getEffectiveLevel, factory.getLogger(name)));
    }

    /** @return true if {@code name} has a level of its own rather than inheriting one */
    public boolean hasOwnLevel(String name) throws UnixctlException {
        return call(getLevel, factory.getLogger(name)) != null;
    }

    /** Sets {@code name}'s level; {@code logbackLevel} is a logback level name such as "DEBUG". */
    public void setLevel(String name, String logbackLevel) throws UnixctlException {
        Object level = call(toLevel, null, logbackLevel.toUpperCase(Locale.ROOT));
        call(setLevel, factory.getLogger(name), level);
    }

    private static Object call(Method method, Object target, Object... args) throws UnixctlException {
        try {
            return method.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new UnixctlException("cannot use the logging backend: " + e.getMessage());
        } catch (InvocationTargetException e) {
            throw new UnixctlException("logging backend failed: " + e.getCause());
        }
    }

    private static UnixctlException notLogback(ILoggerFactory factory) {
        return new UnixctlException("log levels can only be changed with the logback backend, but SLF4J is bound to "
                + factory.getClass().getName());
    }
}
