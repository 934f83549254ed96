#include "extractors/annotations.h"

namespace stancetrack {

std::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kCompany:
      return "company";
    case EntityType::kOrganization:
      return "organization";
    case EntityType::kPerson:
      return "person";
    case EntityType::kCountry:
      return "country";
    case EntityType::kPolicy:
      return "policy";
  }
  return "unknown";
}

std::string_view PolarityName(Polarity polarity) {
  switch (polarity) {
    case Polarity::kSupport:
      return "support";
    case Polarity::kOppose:
      return "oppose";
    case Polarity::kMixed:
      return "mixed";
  }
  return "unknown";
}

}  // namespace stancetrack
