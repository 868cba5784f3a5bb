package dev.carbonlens.code.java;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.type.Type;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Constant integers as a program writes them: literals, simple arithmetic, and local variables or
 * fields (`int epochs = 300;`, `private static final int EPOCHS = 300;`) that are never assigned again.
 * Anything computed at run time (arguments, parsed flags) is unknown.
 */
final class JavaValues {
  private static final int MAX_DEPTH = 12;

  private final CompilationUnit unit;

  JavaValues(CompilationUnit unit) {
    this.unit = unit;
  }

  OptionalLong longValue(Expression e) {
    try {
      return value(e, 0);
    } catch (RuntimeException ex) {
      return OptionalLong.empty();
    }
  }

  private OptionalLong value(Expression e, int depth) {
    if (e == null || depth > MAX_DEPTH) {
      return OptionalLong.empty();
    }
    if (e instanceof IntegerLiteralExpr i) {
      return OptionalLong.of(i.asNumber().longValue());
    }
    if (e instanceof LongLiteralExpr l) {
      return OptionalLong.of(l.asNumber().longValue());
    }
    if (e instanceof EnclosedExpr en) {
      return value(en.getInner(), depth + 1);
    }
    if (e instanceof CastExpr c) {
      return value(c.getExpression(), depth + 1);
    }
    if (e instanceof UnaryExpr u) {
      OptionalLong v = value(u.getExpression(), depth + 1);
      if (v.isEmpty()) {
        return v;
      }
      return switch (u.getOperator()) {
        case MINUS -> OptionalLong.of(-v.getAsLong());
        case PLUS -> v;
        default -> OptionalLong.empty();
      };
    }
    if (e instanceof BinaryExpr b) {
      OptionalLong l = value(b.getLeft(), depth + 1);
      OptionalLong r = value(b.getRight(), depth + 1);
      if (l.isEmpty() || r.isEmpty()) {
        return OptionalLong.empty();
      }
      long x = l.getAsLong();
      long y = r.getAsLong();
      try {
        return switch (b.getOperator()) {
          case PLUS -> OptionalLong.of(Math.addExact(x, y));
          case MINUS -> OptionalLong.of(Math.subtractExact(x, y));
          case MULTIPLY -> OptionalLong.of(Math.multiplyExact(x, y));
          case DIVIDE -> y == 0 ? OptionalLong.empty() : OptionalLong.of(x / y);
          default -> OptionalLong.empty();
        };
      } catch (ArithmeticException overflow) {
        return OptionalLong.empty();
      }
    }
    if (e instanceof NameExpr n) {
      return declaration(n.getNameAsString(), n)
          .filter(d -> d instanceof VariableDeclarator)
          .map(d -> (VariableDeclarator) d)
          .filter(this::neverReassigned)
          .flatMap(VariableDeclarator::getInitializer)
          .map(init -> value(init, depth + 1))
          .orElse(OptionalLong.empty());
    }
    if (e instanceof FieldAccessExpr f) {
      return field(f.getNameAsString())
          .filter(this::neverReassigned)
          .flatMap(VariableDeclarator::getInitializer)
          .map(init -> value(init, depth + 1))
          .orElse(OptionalLong.empty());
    }
    return OptionalLong.empty();
  }

  /**
   * Where a name used at `use` is declared: a local variable or parameter of an enclosing method,
   * constructor or lambda (the nearest declaration before the use), else a field.
   */
  Optional<Node> declaration(String name, Node use) {
    int useLine = use.getBegin().map(p -> p.line).orElse(Integer.MAX_VALUE);
    int useColumn = use.getBegin().map(p -> p.column).orElse(Integer.MAX_VALUE);
    for (Node p = use.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
      if (p instanceof CallableDeclaration<?> || p instanceof LambdaExpr || p instanceof InitializerDeclaration) {
        VariableDeclarator best = null;
        for (VariableDeclarator v : p.findAll(VariableDeclarator.class)) {
          if (!v.getNameAsString().equals(name) || v.getParentNode().orElse(null) instanceof FieldDeclaration) {
            continue;
          }
          boolean before = v.getBegin().map(b -> b.line < useLine || (b.line == useLine && b.column < useColumn))
              .orElse(false);
          if (before) {
            best = v; // findAll is in source order: the last one before the use is the nearest
          }
        }
        if (best != null) {
          return Optional.of(best);
        }
        for (Parameter param : parameters(p)) {
          if (param.getNameAsString().equals(name)) {
            return Optional.of(param);
          }
        }
      }
      if (p instanceof TypeDeclaration<?> type) {
        for (FieldDeclaration f : type.getFields()) {
          for (VariableDeclarator v : f.getVariables()) {
            if (v.getNameAsString().equals(name)) {
              return Optional.of(v);
            }
          }
        }
      }
    }
    return field(name).map(v -> v);
  }

  /** A field of any type in the file (`Config.EPOCHS`, `this.epochs`). */
  Optional<VariableDeclarator> field(String name) {
    for (FieldDeclaration f : unit.findAll(FieldDeclaration.class)) {
      for (VariableDeclarator v : f.getVariables()) {
        if (v.getNameAsString().equals(name)) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  /** The declared type's simple name; for `var`, the class of a `new X(...)` initializer. */
  Optional<String> declaredType(String name, Node use) {
    Optional<Node> d = declaration(name, use);
    if (d.isEmpty()) {
      return Optional.empty();
    }
    Type type;
    Optional<Expression> init = Optional.empty();
    if (d.get() instanceof VariableDeclarator v) {
      type = v.getType();
      init = v.getInitializer();
    } else if (d.get() instanceof Parameter param) {
      type = param.getType();
    } else {
      return Optional.empty();
    }
    if (type.isVarType()) {
      return init.filter(Expression::isObjectCreationExpr)
          .map(i -> ((ObjectCreationExpr) i).getType().getNameAsString());
    }
    if (type.isClassOrInterfaceType()) {
      return Optional.of(type.asClassOrInterfaceType().getNameAsString());
    }
    return Optional.of(type.asString());
  }

  private static java.util.List<Parameter> parameters(Node callable) {
    if (callable instanceof CallableDeclaration<?> c) {
      return c.getParameters();
    }
    if (callable instanceof LambdaExpr l) {
      return l.getParameters();
    }
    return java.util.List.of();
  }

  /** No `x = ...`, `x += ...`, `x++` after the declaration (anywhere in its method, or the file for a field). */
  private boolean neverReassigned(VariableDeclarator v) {
    String name = v.getNameAsString();
    boolean isField = v.getParentNode().orElse(null) instanceof FieldDeclaration;
    if (isField && ((FieldDeclaration) v.getParentNode().get()).isFinal()) {
      return true;
    }
    Node scope = isField ? unit : v.findAncestor(n -> n instanceof CallableDeclaration<?> || n instanceof LambdaExpr
        || n instanceof InitializerDeclaration, Node.class).orElse(unit);
    for (AssignExpr a : scope.findAll(AssignExpr.class)) {
      if (names(a.getTarget(), name, isField)) {
        return false;
      }
    }
    for (UnaryExpr u : scope.findAll(UnaryExpr.class)) {
      UnaryExpr.Operator op = u.getOperator();
      if ((op == UnaryExpr.Operator.PREFIX_INCREMENT || op == UnaryExpr.Operator.PREFIX_DECREMENT
          || op == UnaryExpr.Operator.POSTFIX_INCREMENT || op == UnaryExpr.Operator.POSTFIX_DECREMENT)
          && names(u.getExpression(), name, isField)) {
        return false;
      }
    }
    return true;
  }

  private static boolean names(Expression target, String name, boolean isField) {
    if (target instanceof NameExpr n) {
      return n.getNameAsString().equals(name);
    }
    return isField && target instanceof FieldAccessExpr f && f.getNameAsString().equals(name)
        && (f.getScope() instanceof ThisExpr || f.getScope() instanceof NameExpr);
  }
}
