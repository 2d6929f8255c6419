import { Module } from '@nestjs/common';
import { OrganizationsController } from './organizations.controller';
import { RegisterOrganizationHandler, RotateKeysHandler } from './organizations.commands';
import { GetOrganizationHandler, GetOrganizationJwksHandler, IssueAccessTokenHandler } from './organizations.queries';

@Module({
  controllers: [OrganizationsController],
  providers: [RegisterOrganizationHandler, RotateKeysHandler, GetOrganizationHandler, GetOrganizationJwksHandler, IssueAccessTokenHandler],
})
export class OrganizationsModule {}
